package io.github.flinkredis.connector.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the connector's main classes (docs/architecture.md): no package depends
 * on itself through others, and the packages at the bottom import nothing above them.
 */
class PackageStructureTest {

    private static final String ROOT = "io.github.flinkredis.connector";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(ROOT);
    }

    @Test
    void noPackageCycles() {
        // every package is a slice of its own: source and source.reader may not need each other
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void configImportsNothingOfTheConnector() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others("config"))
                .check(classes);
    }

    @Test
    void theModelImportsOnlyConfig() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others("model", "config"))
                .check(classes);
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
                        ROOT + ".source..",
                        ROOT + ".sink..",
                        ROOT + ".lookup..",
                        ROOT + ".table..")
                .check(classes);
    }

    @Test
    void dataTypePackagesKnowNoSourceSinkLookupOrTable() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".types..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".source..", ROOT + ".sink..", ROOT + ".lookup..", ROOT + ".table..")
                .check(classes);
    }

    /** The connector's packages other than {@code allowed} (and their sub-packages). */
    private static String[] others(String... allowed) {
        String[] all = {
            "client", "config", "convert", "lookup", "model", "sink", "source", "table", "types"
        };
        return java.util.Arrays.stream(all)
                .filter(p -> !java.util.List.of(allowed).contains(p))
                .map(p -> ROOT + "." + p + "..")
                .toArray(String[]::new);
    }
}
