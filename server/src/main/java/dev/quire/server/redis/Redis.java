package dev.quire.server.redis;

import dev.quire.core.config.Env;
import dev.quire.server.hub.AwarenessBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the awareness bus of a front from {@link RedisSettings}. */
public final class Redis {
    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);

    private Redis() {
    }

    /**
     * The Redis bus, checked at start, or {@link AwarenessBus#local()} when {@code QUIRE_REDIS_URL} is empty.
     *
     * @throws RedisConfigException for a misconfigured or unreachable Redis
     */
    public static AwarenessBus awarenessBus(Env env, String frontId) {
        RedisSettings settings = new RedisSettings(env);
        if (!settings.enabled()) {
            LOG.warn("QUIRE_REDIS_URL is empty: SINGLE-FRONT MODE. Awareness (cursors, presence) is shared only among this "
                    + "front's clients; run one front only, or set QUIRE_REDIS_URL.");
            return AwarenessBus.local();
        }
        return RedisAwarenessBus.connect(settings, frontId);
    }
}
