package io.github.flinkredis.connector.config;

import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** All options of the {@code redis} table connector. */
@PublicEvolving
public final class RedisConnectorOptions {

    private RedisConnectorOptions() {}

    // ------------------------------------------------------------------ connection

    public static final ConfigOption<String> URL =
            ConfigOptions.key("url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Redis server URL: redis://[[user]:password@]host[:port][/database]"
                                    + " or rediss://... for TLS. Prefer the 'password' option"
                                    + " to a password in the URL.");

    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("ACL user name; overrides a user name in 'url'.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Password (AUTH); overrides a password in 'url'. Never logged or shown"
                                    + " in plans.");

    public static final ConfigOption<Integer> DATABASE =
            ConfigOptions.key("database")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Database number (SELECT); overrides a database in 'url'. Default 0.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("connect.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Timeout for opening a connection.");

    public static final ConfigOption<Duration> COMMAND_TIMEOUT =
            ConfigOptions.key("command.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Timeout for one command, or one pipelined batch of commands, to be"
                                    + " answered.");

    public static final ConfigOption<String> CLIENT_NAME =
            ConfigOptions.key("client-name")
                    .stringType()
                    .defaultValue("flink-connector-redis")
                    .withDescription("Connection name set with CLIENT SETNAME (CLIENT LIST).");

    public static final ConfigOption<ClusterMode> CLUSTER_MODE =
            ConfigOptions.key("cluster-mode")
                    .enumType(ClusterMode.class)
                    .defaultValue(ClusterMode.AUTO)
                    .withDescription(
                            "Whether 'url' names a Redis Cluster: 'auto' (several nodes are a"
                                    + " cluster; one node is asked with INFO cluster), 'enabled'"
                                    + " or 'disabled'.");

    public static final ConfigOption<ReadFrom> READ_FROM =
            ConfigOptions.key("read-from")
                    .enumType(ReadFrom.class)
                    .defaultValue(ReadFrom.PRIMARY)
                    .withDescription(
                            "Which node of each shard a scan reads, keys and values alike:"
                                    + " 'primary', 'replica' (a shard without a connected replica"
                                    + " fails the job) or 'replica-preferred' (its primary then)."
                                    + " Replicas are found in the cluster topology, from the"
                                    + " Sentinels, or in the ROLE of a standalone primary.");

    public static final ConfigOption<Duration> CLUSTER_TOPOLOGY_REFRESH_PERIOD =
            ConfigOptions.key("cluster.topology-refresh.period")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How often a cluster client re-reads the topology; it also does on"
                                    + " MOVED/ASK redirects and reconnects (adaptive refresh).");

    public static final ConfigOption<String> SENTINEL_PASSWORD =
            ConfigOptions.key("sentinel.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Password of the Sentinels themselves (requirepass of the Sentinel"
                                    + " processes), if they have one.");

    // ------------------------------------------------------------------ TLS

    public static final ConfigOption<RedisTlsOptions.Verify> TLS_VERIFY =
            ConfigOptions.key("tls.verify")
                    .enumType(RedisTlsOptions.Verify.class)
                    .defaultValue(RedisTlsOptions.Verify.FULL)
                    .withDescription(
                            "How a rediss:// connection verifies the server: 'full' (certificate"
                                    + " chain and host name), 'ca' (chain only) or 'none'.");

    public static final ConfigOption<String> TLS_TRUSTSTORE =
            ConfigOptions.key("tls.truststore")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Trust store file (JKS or PKCS12) with the CA certificates to trust;"
                                    + " default: the JVM's.");

    public static final ConfigOption<String> TLS_TRUSTSTORE_PASSWORD =
            ConfigOptions.key("tls.truststore.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of 'tls.truststore'.");

    public static final ConfigOption<String> TLS_CA_FILE =
            ConfigOptions.key("tls.ca-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PEM file with the CA certificates to trust, instead of a trust"
                                    + " store.");

    public static final ConfigOption<String> TLS_KEYSTORE =
            ConfigOptions.key("tls.keystore")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Key store file (JKS or PKCS12) with the client certificate and key,"
                                    + " for servers that require client certificates (mutual"
                                    + " TLS).");

    public static final ConfigOption<String> TLS_KEYSTORE_PASSWORD =
            ConfigOptions.key("tls.keystore.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of 'tls.keystore'.");

    public static final ConfigOption<String> TLS_CERT_FILE =
            ConfigOptions.key("tls.cert-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PEM client certificate chain for mutual TLS, with 'tls.key-file',"
                                    + " instead of a key store.");

    public static final ConfigOption<String> TLS_KEY_FILE =
            ConfigOptions.key("tls.key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("PEM (PKCS#8) private key of 'tls.cert-file'.");

    public static final ConfigOption<String> TLS_KEY_PASSWORD =
            ConfigOptions.key("tls.key.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of an encrypted 'tls.key-file'.");

    // ------------------------------------------------------------------ data model

    public static final ConfigOption<String> DATA_TYPE =
            ConfigOptions.key("data-type")
                    .stringType()
                    .defaultValue(RedisDataType.HASH.value())
                    .withDescription(
                            "Redis data type of the table's keys. Accepted values: "
                                    + RedisDataType.acceptedValues()
                                    + "; or 'arrow': a columnar table, stored as Arrow IPC"
                                    + " record batches under 'key.prefix' (bounded reads and"
                                    + " writes).");

    public static final ConfigOption<String> KEY_PREFIX =
            ConfigOptions.key("key.prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Prefix of the table's keys, e.g. 'user:'. A key is the prefix"
                                    + " followed by the PRIMARY KEY values joined by"
                                    + " 'key.separator'.");

    public static final ConfigOption<String> KEY_SEPARATOR =
            ConfigOptions.key("key.separator")
                    .stringType()
                    .defaultValue(":")
                    .withDescription(
                            "Separator between the values of a composite PRIMARY KEY in a key.");

    public static final ConfigOption<String> KEY_PATTERN =
            ConfigOptions.key("key.pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Glob pattern of the keys a scan reads (SCAN MATCH). Default: the"
                                    + " prefix, glob-escaped, followed by '*'.");

    public static final ConfigOption<String> MEMBER_COLUMN =
            ConfigOptions.key("member.column")
                    .stringType()
                    .defaultValue("member")
                    .withDescription(
                            "The column holding the member of a 'set' or 'zset' table (one row"
                                    + " per member).");

    public static final ConfigOption<String> SCORE_COLUMN =
            ConfigOptions.key("score.column")
                    .stringType()
                    .defaultValue("score")
                    .withDescription(
                            "The DOUBLE column holding the score of a 'zset' table's member.");

    public static final ConfigOption<String> RANK_COLUMN =
            ConfigOptions.key("rank.column")
                    .stringType()
                    .defaultValue("rank")
                    .withDescription(
                            "The BIGINT column, optional, holding the rank of a 'zset' table's"
                                    + " member (0 for the lowest score, as ZRANK counts).");

    public static final ConfigOption<String> ELEMENT_COLUMN =
            ConfigOptions.key("element.column")
                    .stringType()
                    .defaultValue("element")
                    .withDescription(
                            "The column holding the element of a 'list' table (one row per"
                                    + " element).");

    public static final ConfigOption<String> INDEX_COLUMN =
            ConfigOptions.key("index.column")
                    .stringType()
                    .defaultValue("index")
                    .withDescription(
                            "The BIGINT column, optional, holding the index of a 'list' table's"
                                    + " element (0 at the head, as LINDEX counts).");

    public static final ConfigOption<String> TIMESTAMP_COLUMN =
            ConfigOptions.key("timestamp.column")
                    .stringType()
                    .defaultValue("ts")
                    .withDescription(
                            "The column holding the timestamp of a 'timeseries' table's sample:"
                                    + " TIMESTAMP_LTZ, TIMESTAMP (UTC) or BIGINT milliseconds"
                                    + " since the epoch.");

    public static final ConfigOption<String> VALUE_COLUMN =
            ConfigOptions.key("value.column")
                    .stringType()
                    .defaultValue("val")
                    .withDescription(
                            "The numeric column holding the value of a 'timeseries' table's"
                                    + " sample (stored as a double).");

    public static final ConfigOption<java.util.List<String>> LABEL_COLUMNS =
            ConfigOptions.key("label.columns")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Columns of a 'timeseries' table that are labels of the series,"
                                    + " named after the column (TS.ADD ... LABELS when a write"
                                    + " creates the series), separated by ';'. They may also be"
                                    + " PRIMARY KEY columns.");

    public static final ConfigOption<String> JSON_PATH =
            ConfigOptions.key("json.path")
                    .stringType()
                    .defaultValue("$")
                    .withDescription(
                            "For 'data-type' = 'json': the JSONPath of the object whose members"
                                    + " are the table's columns, e.g. '$.profile'. Default: the"
                                    + " document.");

    // ------------------------------------------------------------------ scan

    public static final ConfigOption<Integer> SCAN_COUNT =
            ConfigOptions.key("scan.count")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("COUNT hint of each SCAN call: keys examined per call.");

    public static final ConfigOption<Integer> SCAN_BATCH_SIZE =
            ConfigOptions.key("scan.batch-size")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "Keys whose values are fetched in one pipelined write to a node.");

    public static final ConfigOption<Integer> SCAN_MAX_BATCHES_IN_FLIGHT =
            ConfigOptions.key("scan.max-batches-in-flight")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Batches a reader sends before it waits for the replies of the"
                                    + " oldest one: with 2, the node works on the next batch"
                                    + " while the reader turns the replies of one into rows. At"
                                    + " most 'scan.batch-size' times this many keys are in flight"
                                    + " per reader; 1 waits for each batch before sending the"
                                    + " next.");

    public static final ConfigOption<Integer> SCAN_MEMBER_PAGE_SIZE =
            ConfigOptions.key("scan.member-page-size")
                    .intType()
                    .defaultValue(1000)
                    .withDescription(
                            "Members or elements read per SSCAN (its COUNT hint), LRANGE or ZRANGE"
                                    + " of a 'set', 'list' or 'zset' table. The first page of"
                                    + " each key, pipelined with the other keys of its batch,"
                                    + " holds at most 128 of them; a larger key is read in"
                                    + " further pages of this size, so memory stays bounded"
                                    + " however large the key.");

    public static final ConfigOption<String> SEARCH_INDEX =
            ConfigOptions.key("search.index")
                    .stringType()
                    .defaultValue(RedisScanOptions.SEARCH_INDEX_AUTO)
                    .withDescription(
                            "The RediSearch index a bounded scan of a 'hash' or 'json' table may"
                                    + " read through, so that filters on its columns select the"
                                    + " keys (FT.AGGREGATE) instead of a SCAN reading every key:"
                                    + " 'auto' finds one at planning (FT._LIST, FT.INFO: ON HASH"
                                    + " or ON JSON as the table, a PREFIX covering 'key.prefix',"
                                    + " no FILTER, no indexing failures, done indexing) and"
                                    + " reads with SCAN where there is none; 'none' always reads"
                                    + " with SCAN; any other value names the index, and planning"
                                    + " fails if it does not exist or cannot serve the table."
                                    + " Flink still evaluates every filter on the rows read.");

    public static final ConfigOption<String> ARROW_COMPRESSION =
            ConfigOptions.key("arrow.compression")
                    .stringType()
                    .defaultValue("zstd")
                    .withDescription(
                            "'arrow' tables: the compression of the Arrow buffers of the batches"
                                    + " a write stores: 'zstd', 'lz4' (LZ4_FRAME) or 'none'.");

    public static final ConfigOption<Integer> SINK_ARROW_BATCH_ROWS =
            ConfigOptions.key("sink.arrow.batch-rows")
                    .intType()
                    .defaultValue(65_536)
                    .withDescription(
                            "'arrow' tables: the rows of one record batch (one batch key) at most;"
                                    + " a batch also ends at 64 MB of uncompressed buffers.");

    public static final ConfigOption<Duration> SINK_ARROW_RETENTION =
            ConfigOptions.key("sink.arrow.retention")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "'arrow' tables: how long the batch keys of a snapshot that INSERT"
                                    + " OVERWRITE replaced live on (PEXPIRE), so that reads"
                                    + " begun on it can finish.");

    public static final ConfigOption<Duration> SINK_ARROW_PENDING_TTL =
            ConfigOptions.key("sink.arrow.pending-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "'arrow' tables: the TTL of a write's batch keys and staging hash until"
                                    + " the write publishes (its batch keys then lose it,"
                                    + " PERSIST), so that a write that fails leaves nothing"
                                    + " behind. A write whose first batch is older than this when"
                                    + " it publishes fails, naming the option.");

    public static final ConfigOption<RedisSearchAggregatePushdown> SEARCH_AGGREGATE_PUSHDOWN =
            ConfigOptions.key("search.aggregate-pushdown")
                    .enumType(RedisSearchAggregatePushdown.class)
                    .defaultValue(RedisSearchAggregatePushdown.COUNT)
                    .withDescription(
                            "Which aggregates of a batch query on a 'hash' table the RediSearch"
                                    + " index of 'search.index' computes (FT.AGGREGATE ... GROUPBY"
                                    + " ... REDUCE COUNT, no key read), where the result is"
                                    + " exactly Flink's.");

    public static final ConfigOption<Boolean> SCAN_FILTER_PUSH_DOWN_ENABLED =
            ConfigOptions.key("scan.filter-push-down.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether filters on the key (the 'key' metadata column, or every"
                                    + " PRIMARY KEY column parsed from the key) by = or IN"
                                    + " become point reads of those keys instead of a SCAN, a"
                                    + " LIKE 'prefix%' a narrower SCAN MATCH, and comparisons"
                                    + " of a list's index or a zset's score the bounds of"
                                    + " LRANGE or ZRANGE ... BYSCORE.");

    // ------------------------------------------------------------------ sink

    public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "Rows buffered before their commands are sent to Redis in one"
                                    + " pipelined write.");

    public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "The longest a row waits in the buffer before it is sent; 0 sends"
                                    + " only full buffers (and everything on each checkpoint).");

    public static final ConfigOption<Integer> SINK_MAX_BATCHES_IN_FLIGHT =
            ConfigOptions.key("sink.max-batches-in-flight")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Batches on the wire at most: with this many sent and unanswered, the"
                                    + " writer waits for the replies of the oldest before sending"
                                    + " the next.");

    public static final ConfigOption<Integer> SINK_MAX_RETRIES =
            ConfigOptions.key("sink.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "How often a batch that failed for a connection problem, a timeout"
                                    + " or a transient server state is sent again (with the"
                                    + " batches after it, in order) before the job fails.");

    public static final ConfigOption<RedisWriteMode> SINK_WRITE_MODE =
            ConfigOptions.key("sink.write-mode")
                    .enumType(RedisWriteMode.class)
                    .defaultValue(RedisWriteMode.MERGE)
                    .withDescription(
                            "How a row is written to a hash, json or string key that exists: 'merge',"
                                    + " 'replace' or 'skip-existing'.");

    public static final ConfigOption<Duration> SINK_TTL =
            ConfigOptions.key("sink.ttl")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Time to live set on every key written (PEXPIRE in the same"
                                    + " pipeline, or SET ... PX for strings). Default: none.");

    public static final ConfigOption<RedisTtlMode> SINK_TTL_MODE =
            ConfigOptions.key("sink.ttl.mode")
                    .enumType(RedisTtlMode.class)
                    .defaultValue(RedisTtlMode.ON_WRITE)
                    .withDescription(
                            "When the time to live of 'sink.ttl' or of a row's 'ttl' metadata"
                                    + " column is set: 'on-write', 'on-create' or 'keep'.");

    public static final ConfigOption<Duration> SINK_HASH_FIELD_TTL =
            ConfigOptions.key("sink.hash.field-ttl")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Time to live set on each hash field written (HPEXPIRE after the"
                                    + " write; Redis 7.4+, checked when the job starts). With"
                                    + " 'sink.ttl.mode' = 'on-create': only on fields without"
                                    + " one (HSETEX ... KEEPTTL and HPEXPIRE ... NX; Redis 8.0+)."
                                    + " Default: none.");

    public static final ConfigOption<RedisWriteErrorPolicy> SINK_ERROR_POLICY =
            ConfigOptions.key("sink.error-policy")
                    .enumType(RedisWriteErrorPolicy.class)
                    .defaultValue(RedisWriteErrorPolicy.FAIL)
                    .withDescription(
                            "What happens to a row whose write Redis refuses for the row's own"
                                    + " key (WRONGTYPE, an ERR reply about the value): 'fail',"
                                    + " 'dead-letter' or 'skip'. Connection failures, timeouts"
                                    + " and errors of the job's commands (NOPERM, unknown"
                                    + " command) always fail the job after the retries.");

    public static final ConfigOption<String> SINK_DEAD_LETTER_STREAM =
            ConfigOptions.key("sink.dead-letter.stream")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The stream that 'sink.error-policy' = 'dead-letter' adds an entry"
                                    + " to for each row Redis refused (fields key, command,"
                                    + " error, kind, row, job, task, subtask).");

    public static final ConfigOption<Long> SINK_DEAD_LETTER_MAX_LENGTH =
            ConfigOptions.key("sink.dead-letter.max-length")
                    .longType()
                    .defaultValue(RedisWriteOptions.DEFAULT_DEAD_LETTER_MAX_LENGTH)
                    .withDescription(
                            "The entries the dead-letter stream is trimmed to, about (XADD ..."
                                    + " MAXLEN ~ n).");

    public static final ConfigOption<Long> SINK_STREAM_MAX_LENGTH =
            ConfigOptions.key("sink.stream.max-length")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Trims each stream written to about this many entries (XADD ..."
                                    + " MAXLEN ~ n, so Redis trims whole nodes). Default: no"
                                    + " trimming.");

    public static final ConfigOption<RedisDuplicatePolicy> SINK_TIMESERIES_DUPLICATE_POLICY =
            ConfigOptions.key("sink.timeseries.duplicate-policy")
                    .enumType(RedisDuplicatePolicy.class)
                    .defaultValue(RedisDuplicatePolicy.LAST)
                    .withDescription(
                            "What a timeseries does with a sample at a timestamp it holds"
                                    + " already (TS.ADD ... ON_DUPLICATE).");

    public static final ConfigOption<ParseErrorPolicy> SCAN_PARSE_ERROR_POLICY =
            ConfigOptions.key("scan.parse-error.policy")
                    .enumType(ParseErrorPolicy.class)
                    .defaultValue(ParseErrorPolicy.FAIL)
                    .withDescription(
                            "What to do with a value that does not parse as its column type, or"
                                    + " a missing value in a NOT NULL column. Counted in the"
                                    + " 'numParseErrors' metric whatever the policy.");

    public static final ConfigOption<StreamStartupMode> SCAN_STARTUP_MODE =
            ConfigOptions.key("scan.startup.mode")
                    .enumType(StreamStartupMode.class)
                    .defaultValue(StreamStartupMode.EARLIEST)
                    .withDescription(
                            "Where a stream table starts reading each stream when the job starts"
                                    + " (a restored job resumes after its checkpoint instead; a"
                                    + " stream discovered while the job runs starts at its first"
                                    + " entry).");

    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.startup.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Epoch milliseconds: with 'scan.startup.mode' = 'timestamp', the"
                                    + " first entry read is the first whose ID is at or after"
                                    + " <this>-0.");

    public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_IDS =
            ConfigOptions.key("scan.startup.specific-ids")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With 'scan.startup.mode' = 'specific-ids': the first entry ID to read"
                                    + " per stream, '<key>:<id>;<key>:<id>', e.g."
                                    + " 'orders:eu:1700000000000-0;orders:us:0-1' (each item"
                                    + " splits at its last colon).");

    public static final ConfigOption<StreamBoundedMode> SCAN_BOUNDED_MODE =
            ConfigOptions.key("scan.bounded.mode")
                    .enumType(StreamBoundedMode.class)
                    .defaultValue(StreamBoundedMode.UNBOUNDED)
                    .withDescription(
                            "Where a stream table stops reading each stream. 'unbounded' tails"
                                    + " the streams; any other mode makes the table bounded.");

    public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.bounded.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Epoch milliseconds: with 'scan.bounded.mode' = 'timestamp', the read"
                                    + " stops before the first entry whose ID is at or after"
                                    + " <this>-0.");

    public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_IDS =
            ConfigOptions.key("scan.bounded.specific-ids")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With 'scan.bounded.mode' = 'specific-ids': per stream, the first"
                                    + " entry ID not to read, '<key>:<id>;<key>:<id>'.");

    public static final ConfigOption<Duration> SCAN_STREAM_BLOCK =
            ConfigOptions.key("scan.stream.block")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How long one XREAD waits for new entries (its BLOCK); must be below"
                                    + " 'command.timeout'. New entries are emitted as soon as they"
                                    + " arrive whatever this is; a stream newly assigned to a"
                                    + " reader joins after at most this long.");

    public static final ConfigOption<String> VALUE_FIELD =
            ConfigOptions.key("value.field")
                    .stringType()
                    .defaultValue("value")
                    .withDescription(
                            "A stream table with 'format': the entry field whose value the format"
                                    + " decodes into the table's columns.");

    public static final ConfigOption<String> SCAN_CONSUMER_GROUP =
            ConfigOptions.key("scan.consumer-group")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Read a stream table as this consumer group (XREADGROUP, XACK when a"
                                    + " checkpoint completes) instead of with XREAD; a missing"
                                    + " group is created at 'scan.startup.mode' (XGROUP CREATE"
                                    + " ... MKSTREAM), an existing one keeps its position. Not"
                                    + " with a 'scan.bounded.mode'.");

    public static final ConfigOption<String> SCAN_CONSUMER_NAME =
            ConfigOptions.key("scan.consumer-name")
                    .stringType()
                    .defaultValue("flink")
                    .withDescription(
                            "The consumer name in 'scan.consumer-group'. Give each job (or other"
                                    + " application) sharing a group its own name: Redis then"
                                    + " delivers each entry to one of them.");

    public static final ConfigOption<TimeSeriesAggregator> SCAN_TIMESERIES_AGGREGATION =
            ConfigOptions.key("scan.timeseries.aggregation")
                    .enumType(TimeSeriesAggregator.class)
                    .noDefaultValue()
                    .withDescription(
                            "Timeseries: downsample each series on the server (TS.RANGE ..."
                                    + " AGGREGATION <aggregator> <bucket>), with"
                                    + " 'scan.timeseries.bucket-duration': each row is then a"
                                    + " bucket. Unset: each row is a sample.");

    public static final ConfigOption<String> SCAN_TIMESERIES_LABEL_FILTER =
            ConfigOptions.key("scan.timeseries.label-filter")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Timeseries: read the series TS.QUERYINDEX finds with this filter, in"
                                    + " its syntax (expressions separated by blanks, at least one"
                                    + " of them label=value, e.g. 'area=eu kind=(temp,hum)'),"
                                    + " among those matching the key pattern, instead of those"
                                    + " SCAN finds.");

    public static final ConfigOption<Duration> SCAN_TIMESERIES_BUCKET_DURATION =
            ConfigOptions.key("scan.timeseries.bucket-duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Timeseries, with 'scan.timeseries.aggregation': the duration of a"
                                    + " bucket, at least 1 ms.");

    public static final ConfigOption<Long> SCAN_TIMESERIES_ALIGN =
            ConfigOptions.key("scan.timeseries.align")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Timeseries, with 'scan.timeseries.aggregation': buckets start at"
                                    + " this time (epoch milliseconds) plus multiples of the"
                                    + " bucket duration (TS.RANGE ... ALIGN).");

    public static final ConfigOption<TimeSeriesBucketTimestamp> SCAN_TIMESERIES_BUCKET_TIMESTAMP =
            ConfigOptions.key("scan.timeseries.bucket-timestamp")
                    .enumType(TimeSeriesBucketTimestamp.class)
                    .defaultValue(TimeSeriesBucketTimestamp.START)
                    .withDescription(
                            "Timeseries, with 'scan.timeseries.aggregation': the time a bucket's"
                                    + " row carries: its start, mid or end (TS.RANGE ..."
                                    + " BUCKETTIMESTAMP).");

    public static final ConfigOption<Boolean> SCAN_TIMESERIES_EMPTY =
            ConfigOptions.key("scan.timeseries.empty")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Timeseries, with 'scan.timeseries.aggregation': also a row for each"
                                    + " bucket without samples (TS.RANGE ... EMPTY): NaN for most"
                                    + " aggregators, 0 for sum and count.");

    public static final ConfigOption<Duration> SCAN_CLAIM_MIN_IDLE_TIME =
            ConfigOptions.key("scan.claim-min-idle-time")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "With 'scan.consumer-group': also claim (XPENDING ... IDLE, XCLAIM)"
                                    + " and emit the entries other consumers of the group have"
                                    + " left pending for at least this long, e.g. those of a"
                                    + " consumer that died. Claimed entries belong to the"
                                    + " consumer '<scan.consumer-name>-claimed' until the"
                                    + " checkpoint holding them completes. Must exceed the"
                                    + " checkpoint interval of every Flink job in the group."
                                    + " Unset: nothing is claimed.");

    public static final ConfigOption<StreamTrimmedPolicy> SCAN_STREAM_TRIMMED_POLICY =
            ConfigOptions.key("scan.stream.trimmed-policy")
                    .enumType(StreamTrimmedPolicy.class)
                    .defaultValue(StreamTrimmedPolicy.FAIL)
                    .withDescription(
                            "What a stream table read with XREAD does when entries after the"
                                    + " position it starts or resumes from were deleted (XTRIM,"
                                    + " MAXLEN, XDEL) before it read them; checked with XINFO"
                                    + " STREAM (Redis 7.0+) when the read of a stream starts and,"
                                    + " without a consumer group, each time the running read"
                                    + " catches up with the stream.");

    public static final ConfigOption<Duration> SCAN_DISCOVERY_INTERVAL =
            ConfigOptions.key("scan.discovery.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often an unbounded stream table looks for new streams matching"
                                    + " 'key.pattern' (SCAN ... TYPE stream); '0 s' looks only"
                                    + " when the job starts.");

    public static final ConfigOption<Boolean> LOOKUP_ASYNC =
            ConfigOptions.key("lookup.async")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether a lookup join reads asynchronously (the default): many"
                                    + " lookups in flight (Flink's"
                                    + " 'table.exec.async-lookup.buffer-capacity'), their commands"
                                    + " pipelined on one connection per task; false: one round trip"
                                    + " at a time.");
}
