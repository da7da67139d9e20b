# One image for every Quire process: `quire server`, `quire persister`, `quire migrate`, `quire replay` ...
# Build: docker build -t quire .   (docker-compose.yml builds it as quire:local)

# --- build: the shaded command-line jar (tests run in CI, not here) ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY yjs/pom.xml yjs/
COPY migrations/pom.xml migrations/
COPY core/pom.xml core/
COPY persister/pom.xml persister/
COPY server/pom.xml server/
COPY cli/pom.xml cli/
COPY benchmarks/pom.xml benchmarks/
COPY yjs/src yjs/src
COPY migrations/src migrations/src
COPY core/src core/src
COPY persister/src persister/src
COPY server/src/main server/src/main
COPY cli/src/main cli/src/main
RUN mvn -B -ntp -q -DskipTests -Dnode.skip=true package -pl cli -am

# --- run: a JRE, the jar, curl for health checks, an unprivileged user ---
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /opt/quire quire
COPY --from=build /src/cli/target/quire.jar /opt/quire/quire.jar
USER quire
EXPOSE 8080 9465
# an OutOfMemoryError ends the process (the orchestrator restarts it) instead of leaving it up with dead threads
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/quire/quire.jar"]
CMD ["server"]
