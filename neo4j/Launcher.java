// Launcher runs an embedded Neo4j 5.26 Community DBMS with its Bolt connector on
// loopback, so that tradegraph and its tests talk to a real Neo4j server on a machine
// that has no Docker and no Neo4j tarball. scripts/neo4j.sh compiles it once into
// .cache/neo4j/launcher-<hash> and runs it from there (source-file mode works too, but
// compiles it again on every start):
//
//	java <flags from neo4j/jvm.flags> -cp '.cache/neo4j/lib/*' neo4j/Launcher.java
//
// Settings come from the environment (all optional):
//
//	NEO4J_HOME        directory for data and logs   (default .cache/neo4j/home)
//	NEO4J_BOLT_HOST   Bolt listen address            (default 127.0.0.1)
//	NEO4J_BOLT_PORT   Bolt port                      (default 7687)
//	NEO4J_PASSWORD    when set, auth is on and user neo4j gets this password
//	NEO4J_PAGECACHE   page cache size                (default 2g)
//	NEO4J_TX_MEMORY   global transaction memory cap  (default 4g)
//	NEO4J_IMPORT_DIR  the only directory LOAD CSV may read file:/// URLs from
//	                  (default: unset, and LOAD CSV cannot read local files)
//
// It prints one line starting with "neo4j ready" once Bolt accepts connections,
// and shuts the DBMS down cleanly on SIGTERM or SIGINT.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class Launcher {
    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path home = Path.of(env("NEO4J_HOME", ".cache/neo4j/home")).toAbsolutePath();
        Files.createDirectories(home);
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        String importDir = System.getenv("NEO4J_IMPORT_DIR");
        boolean csvImport = importDir != null && !importDir.isBlank();
        // LOAD CSV reads local files only when an import directory is named, and then
        // only below it (the benchmark compares the loader with LOAD CSV).
        builder.setConfig(GraphDatabaseSettings.allow_file_urls, csvImport);
        if (csvImport) {
            builder.setConfig(GraphDatabaseSettings.load_csv_file_url_root, Path.of(importDir).toAbsolutePath());
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                // Without this the advertised address stays :7687 whatever the port is,
                // and routing drivers (neo4j://) would be sent to the wrong port.
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(env("NEO4J_PAGECACHE", "2g")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.parse(env("NEO4J_TX_MEMORY", "4g")))
                // Netty's default quiet period (5 s for each of Bolt's two event loop
                // groups) made every stop take 10 s longer, with no client left.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j stopping");
            dbms.shutdown();
            System.out.println("neo4j stopped");
            stopped.countDown();
        }, "neo4j-shutdown"));

        if (auth) {
            // Community edition keeps users in the system database; embedded access to it
            // is not subject to auth, so the password can be set here idempotently.
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        }
        // Touch the default database so the first client does not pay for its start.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("neo4j ready bolt://%s:%d auth=%s home=%s started_in_ms=%d%n", host, port, auth, home, ms);
        System.out.flush();
        stopped.await();
    }
}
