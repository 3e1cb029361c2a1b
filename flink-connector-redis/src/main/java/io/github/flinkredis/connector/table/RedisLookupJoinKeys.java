package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.convert.RedisKeyBuilder;
import io.github.flinkredis.connector.lookup.RedisLookupKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * How the equality conditions of a lookup join (positions in the produced row) give the Redis key
 * and, for a type that looks up one member, the member; conditions on other columns are checked on
 * the rows read.
 */
@Internal
final class RedisLookupJoinKeys {

    private RedisLookupJoinKeys() {}

    /**
     * @param lookupKeys the join's key positions in the produced row ({@code LookupContext})
     * @param memberColumn the column the join must give besides the key, or null
     * @throws ValidationException if the conditions do not give the key (or the member)
     */
    static RedisLookupKeys of(
            int[][] lookupKeys,
            RowType produced,
            RowType physical,
            int[] projectedFields,
            List<String> metadataKeys,
            int[] keyPartIndices,
            RedisTableLayout layout,
            @Nullable String memberColumn) {
        int[] parts = new int[keyPartIndices.length];
        Arrays.fill(parts, -1);
        int keyColumn = -1;
        int member = -1;
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < lookupKeys.length; j++) {
            int p = lookupKeys[j][0];
            if (p < projectedFields.length) {
                int physicalIndex = projectedFields[p];
                int part = RedisReadPlan.indexOf(keyPartIndices, physicalIndex);
                String name = physical.getFieldNames().get(physicalIndex);
                if (part >= 0 && parts[part] < 0) {
                    parts[part] = j;
                    continue;
                }
                if (name.equals(memberColumn) && member < 0) {
                    member = j;
                    continue;
                }
            } else if (metadataKeys
                            .get(p - projectedFields.length)
                            .equals(RedisReadableMetadata.KEY.key())
                    && keyColumn < 0) {
                keyColumn = j;
                continue;
            }
            others.add(j);
        }
        boolean partsGiveKey =
                Arrays.stream(parts).allMatch(j -> j >= 0)
                        && (keyPartIndices.length > 0 || layout.literalKey() != null);
        check(
                lookupKeys,
                produced,
                physical,
                keyPartIndices,
                layout,
                memberColumn,
                partsGiveKey,
                keyColumn >= 0,
                member >= 0);
        if (partsGiveKey && keyColumn >= 0) {
            others.add(keyColumn); // the key comes from the parts; the key column is checked
            keyColumn = -1;
        } else if (!partsGiveKey) {
            for (int j : parts) {
                if (j >= 0) {
                    others.add(j); // the key comes from the key column; the parts are checked
                }
            }
            parts = new int[0];
        }
        return build(lookupKeys, produced, layout, parts, keyColumn, member, others);
    }

    /** Fails where the conditions give neither the key nor (when needed) the member. */
    private static void check(
            int[][] lookupKeys,
            RowType produced,
            RowType physical,
            int[] keyPartIndices,
            RedisTableLayout layout,
            @Nullable String memberColumn,
            boolean partsGiveKey,
            boolean keyColumn,
            boolean member) {
        if (!partsGiveKey && !keyColumn) {
            List<String> needed = new ArrayList<>();
            for (int index : keyPartIndices) {
                needed.add(physical.getFieldNames().get(index));
            }
            List<String> given = new ArrayList<>();
            for (int[] k : lookupKeys) {
                given.add(produced.getFieldNames().get(k[0]));
            }
            throw new ValidationException(
                    String.format(
                            "A lookup join on a redis table needs equality conditions on the"
                                    + " columns that build the key: PRIMARY KEY column(s) %s"
                                    + " ('%s' + the values joined by '%s'), or a column METADATA"
                                    + " FROM 'key'; this join has conditions on %s.",
                            needed, layout.keyPrefix(), layout.keySeparator(), given));
        }
        if (memberColumn != null && !member) {
            throw new ValidationException(
                    String.format(
                            "A lookup join on a redis table of '%s' = 'zset' reads one member's"
                                    + " score: it needs an equality condition on the member"
                                    + " column '%s' besides the key.",
                            RedisConnectorOptions.DATA_TYPE.key(), memberColumn));
        }
    }

    private static RedisLookupKeys build(
            int[][] lookupKeys,
            RowType produced,
            RedisTableLayout layout,
            int[] parts,
            int keyColumn,
            int member,
            List<Integer> others) {
        LogicalType[] partTypes = new LogicalType[parts.length];
        String[] partNames = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            partTypes[i] = produced.getTypeAt(lookupKeys[parts[i]][0]);
            partNames[i] = produced.getFieldNames().get(lookupKeys[parts[i]][0]);
        }
        int[] checkedKeys = others.stream().mapToInt(Integer::intValue).toArray();
        int[] checkedFields = new int[checkedKeys.length];
        LogicalType[] checkedTypes = new LogicalType[checkedKeys.length];
        for (int i = 0; i < checkedKeys.length; i++) {
            checkedFields[i] = lookupKeys[checkedKeys[i]][0];
            checkedTypes[i] = produced.getTypeAt(checkedFields[i]);
        }
        return new RedisLookupKeys(
                new RedisKeyBuilder(
                        layout.keyPrefix(),
                        layout.keySeparator(),
                        layout.literalKey(),
                        keyColumn,
                        keyColumn < 0
                                ? null
                                : produced.getFieldNames().get(lookupKeys[keyColumn][0]),
                        keyColumn < 0 ? null : produced.getTypeAt(lookupKeys[keyColumn][0]),
                        parts,
                        partTypes,
                        partNames),
                member,
                member < 0 ? null : produced.getTypeAt(lookupKeys[member][0]),
                checkedKeys,
                checkedFields,
                checkedTypes);
    }
}
