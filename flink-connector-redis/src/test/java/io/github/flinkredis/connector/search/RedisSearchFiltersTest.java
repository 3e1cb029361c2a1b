package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.search.RedisSearchFilters.FilterColumn;
import io.github.flinkredis.connector.search.RedisSearchFilters.Translation;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinition;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** The query each filter becomes on a hash index, and the filters that stay Flink's. */
class RedisSearchFiltersTest {

    static final RedisSearchIndex INDEX =
            new RedisSearchIndex(
                    "users",
                    false,
                    List.of("user:"),
                    null,
                    List.of(
                            new RedisSearchAttribute(
                                    "city",
                                    "city",
                                    RedisSearchFieldType.TAG,
                                    false,
                                    false,
                                    false,
                                    ","),
                            new RedisSearchAttribute(
                                    "age",
                                    "age",
                                    RedisSearchFieldType.NUMERIC,
                                    true,
                                    false,
                                    false,
                                    null),
                            new RedisSearchAttribute(
                                    "score",
                                    "score",
                                    RedisSearchFieldType.NUMERIC,
                                    false,
                                    false,
                                    false,
                                    null),
                            new RedisSearchAttribute(
                                    "ratio",
                                    "ratio",
                                    RedisSearchFieldType.NUMERIC,
                                    false,
                                    false,
                                    false,
                                    null),
                            new RedisSearchAttribute(
                                    "name",
                                    "name",
                                    RedisSearchFieldType.TEXT,
                                    false,
                                    false,
                                    false,
                                    null),
                            new RedisSearchAttribute(
                                    "other_field",
                                    "alias",
                                    RedisSearchFieldType.NUMERIC,
                                    false,
                                    false,
                                    false,
                                    null)));

    static final Map<String, FilterColumn> COLUMNS =
            Map.of(
                    "city", new FilterColumn("city", DataTypes.STRING().getLogicalType()),
                    "age", new FilterColumn("age", DataTypes.BIGINT().getLogicalType()),
                    "score", new FilterColumn("score", DataTypes.DOUBLE().getLogicalType()),
                    "ratio", new FilterColumn("ratio", DataTypes.FLOAT().getLogicalType()),
                    "name", new FilterColumn("name", DataTypes.STRING().getLogicalType()),
                    "alias", new FilterColumn("alias", DataTypes.BIGINT().getLogicalType()));

    static FieldReferenceExpression col(String name) {
        return new FieldReferenceExpression(name, DataTypes.of(COLUMNS.get(name).type()), 0, 0);
    }

    static ValueLiteralExpression lit(Object value, DataType type) {
        return new ValueLiteralExpression(value, type.notNull());
    }

    static ResolvedExpression call(BuiltInFunctionDefinition f, ResolvedExpression... args) {
        return CallExpression.permanent(f, List.of(args), DataTypes.BOOLEAN());
    }

    static ResolvedExpression eq(String c, Object v, DataType t) {
        return call(BuiltInFunctionDefinitions.EQUALS, col(c), lit(v, t));
    }

    private static String query(ResolvedExpression... filters) {
        return RedisSearchFilters.translate(List.of(filters), INDEX, COLUMNS).query();
    }

    @Test
    void numericComparisonsBecomeRanges() {
        ResolvedExpression ge =
                call(
                        BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL,
                        col("age"),
                        lit(18L, DataTypes.BIGINT()));
        // literal on the left: 65 > age, i.e. age < 65
        ResolvedExpression lt =
                call(
                        BuiltInFunctionDefinitions.GREATER_THAN,
                        lit(65L, DataTypes.BIGINT()),
                        col("age"));
        ResolvedExpression score =
                call(
                        BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL,
                        col("score"),
                        lit(2.5, DataTypes.DOUBLE()));

        Translation t = RedisSearchFilters.translate(List.of(ge, lt, score), INDEX, COLUMNS);

        assertThat(t.query()).isEqualTo("(@age:[18 +inf]) (@age:[-inf (65]) (@score:[-inf 2.5])");
        assertThat(t.exact()).containsExactly(ge, lt, score);
        assertThat(t.untranslated()).isEmpty();
    }

    @Test
    void notEqualsOnANumberExcludesKeysWithoutTheField() {
        assertThat(
                        query(
                                call(
                                        BuiltInFunctionDefinitions.NOT_EQUALS,
                                        col("age"),
                                        lit(7L, DataTypes.BIGINT()))))
                .isEqualTo("(@age:[-inf (7] | @age:[(7 +inf])");
    }

    @Test
    void isNotNullOnANumberSelectsTheKeysWithTheFieldAsAPreFilter() {
        ResolvedExpression present = call(BuiltInFunctionDefinitions.IS_NOT_NULL, col("age"));

        Translation t = RedisSearchFilters.translate(List.of(present), INDEX, COLUMNS);

        assertThat(t.query()).isEqualTo("(@age:[-inf +inf])");
        assertThat(t.translated()).containsExactly(present);
        assertThat(t.exact()).isEmpty();
        // not on a TAG, and IS NULL not at all
        assertThat(query(call(BuiltInFunctionDefinitions.IS_NOT_NULL, col("city")))).isNull();
        assertThat(query(call(BuiltInFunctionDefinitions.IS_NULL, col("age")))).isNull();
    }

    @Test
    void integersBeyondTwoToThe53AreOnlyAPreFilter() {
        ResolvedExpression big = eq("age", 9_007_199_254_740_993L, DataTypes.BIGINT());

        Translation t = RedisSearchFilters.translate(List.of(big), INDEX, COLUMNS);

        assertThat(t.query()).isEqualTo("(@age:[9007199254740993 9007199254740993])");
        assertThat(t.translated()).containsExactly(big);
        assertThat(t.exact()).isEmpty();
    }

    @Test
    void tagEqualityAndInAreEscapedPreFilters() {
        ResolvedExpression in =
                call(
                        BuiltInFunctionDefinitions.OR,
                        eq("city", "New York", DataTypes.STRING()),
                        eq("city", "a{b}|c-d@e", DataTypes.STRING()));

        Translation t = RedisSearchFilters.translate(List.of(in), INDEX, COLUMNS);

        assertThat(t.query()).isEqualTo("((@city:{New\\ York}) | (@city:{a\\{b\\}\\|c\\-d\\@e}))");
        // a hash TAG splits at ',' and folds case: the keys found are a superset
        assertThat(t.translated()).containsExactly(in);
        assertThat(t.exact()).isEmpty();
    }

    @Test
    void whatATagQueryCannotFindStaysFlinks() {
        List<ResolvedExpression> filters =
                List.of(
                        eq("city", "a,b", DataTypes.STRING()),
                        eq("city", " padded", DataTypes.STRING()),
                        eq("city", "", DataTypes.STRING()),
                        call(
                                BuiltInFunctionDefinitions.NOT_EQUALS,
                                col("city"),
                                lit("x", DataTypes.STRING())));

        Translation t = RedisSearchFilters.translate(filters, INDEX, COLUMNS);

        assertThat(t.query()).isNull();
        assertThat(t.untranslated()).containsExactlyElementsOf(filters);
    }

    @Test
    void otherTypesAttributesAndPartialOrsAreNotTranslated() {
        List<ResolvedExpression> filters =
                List.of(
                        // TEXT attribute
                        eq("name", "ann", DataTypes.STRING()),
                        // FLOAT column: parsed differently than RediSearch's doubles
                        call(
                                BuiltInFunctionDefinitions.GREATER_THAN,
                                col("ratio"),
                                lit(0.5f, DataTypes.FLOAT())),
                        // the attribute 'alias' indexes another field than the column reads
                        eq("alias", 3L, DataTypes.BIGINT()),
                        // an OR with an untranslatable side
                        call(
                                BuiltInFunctionDefinitions.OR,
                                eq("age", 1L, DataTypes.BIGINT()),
                                eq("name", "bob", DataTypes.STRING())));

        Translation t = RedisSearchFilters.translate(filters, INDEX, COLUMNS);

        assertThat(t.query()).isNull();
        assertThat(t.untranslated()).containsExactlyElementsOf(filters);
    }

    @Test
    void anAndInsideAnOrIsKeptTogether() {
        ResolvedExpression both =
                call(
                        BuiltInFunctionDefinitions.OR,
                        call(
                                BuiltInFunctionDefinitions.AND,
                                eq("age", 1L, DataTypes.BIGINT()),
                                eq("score", 1.0, DataTypes.DOUBLE())),
                        eq("age", 2L, DataTypes.BIGINT()));

        assertThat(query(both)).isEqualTo("(((@age:[1 1]) (@score:[1.0 1.0])) | (@age:[2 2]))");
    }
}
