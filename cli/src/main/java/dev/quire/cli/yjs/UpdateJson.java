package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentAny;
import dev.quire.yjs.codec.ContentBinary;
import dev.quire.yjs.codec.ContentDeleted;
import dev.quire.yjs.codec.ContentDoc;
import dev.quire.yjs.codec.ContentEmbed;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.ContentJSON;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.DeleteSet.DeleteItem;
import dev.quire.yjs.codec.GC;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON {@code quire yjs decode} prints for a decoded update:
 *
 * <pre>{@code
 * {"format": "v1",
 *  "structs": [{"type": "Item", "id": "1:0", "client": 1, "clock": 0, "length": 4,
 *               "origin": null, "rightOrigin": null, "parent": "t", "parentSub": null,
 *               "content": {"kind": "String", "value": "ab😀"}}],
 *  "clients": {"1": {"from": 0, "to": 4, "structs": 1}},
 *  "deleteSet": {"1": [[0, 1]]}}
 * }</pre>
 *
 * GC and Skip structs have only type, id, client, clock and length. An item's parent is a root type
 * name, {@code {"id": "c:k"}} for a nested type, or null when an origin implies it. Clients and
 * delete set keep the order of the update.
 */
final class UpdateJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private UpdateJson() {
    }

    /** Clock range and struct count of one client's structs in the update. */
    private static final class ClientRange {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        long structs;

        void add(Struct s) {
            from = Math.min(from, s.clock);
            to = Math.max(to, s.clock + s.length());
            structs++;
        }
    }

    static ObjectNode render(DecodedUpdate update, UpdateFormat format) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FormatOption.name(format));
        ArrayNode structs = root.putArray("structs");
        Map<Long, ClientRange> clients = new LinkedHashMap<>();
        for (Struct s : update.structs()) {
            structs.add(struct(s));
            clients.computeIfAbsent(s.client, c -> new ClientRange()).add(s);
        }
        ObjectNode clientsJson = root.putObject("clients");
        clients.forEach((client, range) -> {
            ObjectNode r = clientsJson.putObject(Long.toString(client));
            r.put("from", range.from);
            r.put("to", range.to);
            r.put("structs", range.structs);
        });
        ObjectNode deleteSet = root.putObject("deleteSet");
        update.deleteSet().clients().forEach((client, items) -> deleteSet.set(Long.toString(client), ranges(items)));
        return root;
    }

    private static ArrayNode ranges(List<DeleteItem> items) {
        ArrayNode arr = NODES.arrayNode(items.size());
        for (DeleteItem d : items) {
            arr.addArray().add(d.clock()).add(d.len());
        }
        return arr;
    }

    private static ObjectNode struct(Struct s) {
        ObjectNode n = NODES.objectNode();
        n.put("type", s instanceof Item ? "Item" : s instanceof GC ? "GC" : "Skip");
        n.put("id", s.id().toString());
        n.put("client", s.client);
        n.put("clock", s.clock);
        n.put("length", s.length());
        if (s instanceof Item item) {
            n.put("origin", idOrNull(item.origin));
            n.put("rightOrigin", idOrNull(item.rightOrigin));
            n.set("parent", parent(item.parent));
            n.put("parentSub", item.parentSub);
            n.set("content", content(item.content));
        }
        return n;
    }

    private static String idOrNull(ID id) {
        return id == null ? null : id.toString();
    }

    private static JsonNode parent(Object parent) {
        if (parent instanceof String rootName) {
            return NODES.textNode(rootName);
        }
        if (parent instanceof ID id) {
            return NODES.objectNode().put("id", id.toString());
        }
        return NODES.nullNode();
    }

    static ObjectNode content(Content c) {
        ObjectNode n = NODES.objectNode();
        if (c instanceof ContentDeleted d) {
            n.put("kind", "Deleted").put("len", d.len());
        } else if (c instanceof ContentJSON j) {
            n.put("kind", "JSON").set("values", AnyJson.array(j.arr()));
        } else if (c instanceof ContentBinary b) {
            n.put("kind", "Binary").put("base64", Base64.getEncoder().encodeToString(b.content()));
        } else if (c instanceof ContentString s) {
            n.put("kind", "String").put("value", s.str());
        } else if (c instanceof ContentEmbed e) {
            n.put("kind", "Embed").set("value", AnyJson.value(e.embed()));
        } else if (c instanceof ContentFormat f) {
            n.put("kind", "Format").put("key", f.key()).set("value", AnyJson.value(f.value()));
        } else if (c instanceof ContentType t) {
            n.put("kind", "Type").put("typeRef", t.typeRef()).put("typeName", ContentType.typeName(t.typeRef()))
                    .put("name", t.name());
        } else if (c instanceof ContentAny a) {
            n.put("kind", "Any").set("values", AnyJson.array(a.arr()));
        } else if (c instanceof ContentDoc d) {
            n.put("kind", "Doc").put("guid", d.guid()).set("opts", AnyJson.value(d.opts()));
        } else {
            throw new IllegalArgumentException("unknown content " + c.getClass().getName());
        }
        return n;
    }
}
