package io.github.flinkredis.connector.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the connector's main classes (docs/architecture.md): no package depends
 * on itself through others, and the packages at the bottom import nothing above them.
 */
class PackageStructureTest {

    private static final String ROOT = "io.github.flinkredis.connector";

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(ROOT);
    }

    @Test
    void noPackageCycles() {
        // every package is a slice of its own: source and source.reader may not need each other
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(mainClasses);
    }

    @Test
    void configImportsNothingOfTheConnector() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others("config"))
                .check(mainClasses);
    }

    @Test
    void theModelImportsOnlyConfig() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others("model", "config"))
                .check(mainClasses);
    }

    @Test
    void convertAndClientStayBelowTheReadersAndWriters() {
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".convert..", ROOT + ".client..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".types..",
                        ROOT + ".search..",
                        ROOT + ".source..",
                        ROOT + ".sink..",
                        ROOT + ".lookup..",
                        ROOT + ".table..",
                        ROOT + ".catalog..")
                .check(mainClasses);
    }

    /** The catalog is the top: Flink finds it by its factory, no other package uses it. */
    @Test
    void nothingButTheCatalogKnowsTheCatalog() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".catalog..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".catalog..")
                .check(mainClasses);
    }

    /**
     * One pipeline for all I/O: outside {@code client}, nothing holds a connection of its own; the
     * scans, the stream source, the sink and lookups talk to Redis through {@code RedisPipeline}.
     */
    @Test
    void onlyTheClientPackageHoldsConnections() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".client..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ROOT + ".client.RedisNodeConnection")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ROOT + ".client.RedisClusterAccess")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.lettuce.core.RedisClient")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.lettuce.core.cluster.RedisClusterClient")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.lettuce.core.api")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("StatefulRedis")
                .check(mainClasses);
    }

    @Test
    void dataTypeAndSearchPackagesKnowNoSourceSinkLookupOrTable() {
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".types..", ROOT + ".search..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".source..", ROOT + ".sink..", ROOT + ".lookup..", ROOT + ".table..")
                .check(mainClasses);
    }

    @Test
    void publicApiExposesNoInternalTypes() {
        classes()
                .that()
                .areAnnotatedWith(PublicEvolving.class)
                .should(exposeNoInternalTypes())
                .check(mainClasses);
    }

    /**
     * The public members of a class (its public and protected methods, constructors and fields)
     * name no class annotated {@link Internal} in their parameters, return or field type.
     */
    private static ArchCondition<JavaClass> exposeNoInternalTypes() {
        return new ArchCondition<>("expose no @Internal types in their public members") {
            @Override
            public void check(JavaClass owner, ConditionEvents events) {
                for (JavaMember member : owner.getMembers()) {
                    if ((!member.getModifiers().contains(JavaModifier.PUBLIC)
                                    && !member.getModifiers().contains(JavaModifier.PROTECTED))
                            || member.isAnnotatedWith(Internal.class)
                            || implementsFlink(owner, member)) {
                        continue;
                    }
                    Set<JavaClass> types = new HashSet<>();
                    if (member instanceof JavaCodeUnit unit) {
                        types.addAll(unit.getRawParameterTypes());
                        types.add(unit.getRawReturnType());
                    } else if (member instanceof JavaField field) {
                        types.add(field.getRawType());
                    }
                    for (JavaClass type : types) {
                        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
                        if (base.isAnnotatedWith(Internal.class)) {
                            events.add(
                                    SimpleConditionEvent.violated(
                                            member,
                                            member.getFullName()
                                                    + " exposes @Internal "
                                                    + base.getName()));
                        }
                    }
                }
            }
        };
    }

    /**
     * Whether {@code member} implements a method of one of Flink's interfaces or classes, whose
     * signature Flink dictates (e.g. {@code Source.restoreEnumerator} with the source's enumerator
     * state, internal as in Flink's own connectors).
     */
    private static boolean implementsFlink(JavaClass owner, JavaMember member) {
        if (!(member instanceof JavaMethod method)) {
            return false;
        }
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(owner.reflect()));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.getName().startsWith("org.apache.flink.")) {
                for (Method m : c.getMethods()) {
                    if (m.getName().equals(method.getName())
                            && m.getParameterCount() == method.getRawParameterTypes().size()) {
                        return true;
                    }
                }
            }
            todo.addAll(List.of(c.getInterfaces()));
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
        }
        return false;
    }

    /** The connector's packages other than {@code allowed} (and their sub-packages). */
    private static String[] others(String... allowed) {
        String[] all = {
            "catalog", "client", "config", "convert", "lookup", "model", "search", "sink", "source",
            "table", "types"
        };
        return java.util.Arrays.stream(all)
                .filter(p -> !java.util.List.of(allowed).contains(p))
                .map(p -> ROOT + "." + p + "..")
                .toArray(String[]::new);
    }
}
