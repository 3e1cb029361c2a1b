package io.github.flinkredis.connector.lookup;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;

/**
 * How a redis table answers lookup joins: {@code lookup.async}, Flink's {@link
 * LookupOptions#MAX_RETRIES} and its cache ({@link LookupOptions#CACHE_TYPE}): a PARTIAL cache, or
 * the reload trigger of a FULL one.
 */
@Internal
public final class RedisLookupOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No cache, sync lookups, Flink's default retries. */
    public static final RedisLookupOptions DEFAULT =
            new RedisLookupOptions(false, LookupOptions.MAX_RETRIES.defaultValue(), null, null);

    private final boolean async;
    private final int maxRetries;
    @Nullable private final LookupCache partialCache;
    @Nullable private final CacheReloadTrigger fullCacheReloadTrigger;

    /**
     * @param partialCache the PARTIAL cache, or null
     * @param fullCacheReloadTrigger when a FULL cache reloads, or null without one
     */
    public RedisLookupOptions(
            boolean async,
            int maxRetries,
            @Nullable LookupCache partialCache,
            @Nullable CacheReloadTrigger fullCacheReloadTrigger) {
        this.async = async;
        this.maxRetries = maxRetries;
        this.partialCache = partialCache;
        this.fullCacheReloadTrigger = fullCacheReloadTrigger;
    }

    public boolean async() {
        return async;
    }

    public int maxRetries() {
        return maxRetries;
    }

    @Nullable
    public LookupCache partialCache() {
        return partialCache;
    }

    @Nullable
    public CacheReloadTrigger fullCacheReloadTrigger() {
        return fullCacheReloadTrigger;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisLookupOptions)) {
            return false;
        }
        RedisLookupOptions that = (RedisLookupOptions) o;
        return async == that.async
                && maxRetries == that.maxRetries
                && Objects.equals(partialCache, that.partialCache)
                && Objects.equals(fullCacheReloadTrigger, that.fullCacheReloadTrigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(async, maxRetries);
    }
}
