package dev.berth.builder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The builder is engine-independent: it talks to the engine only through BuildWorker. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.builder");

    @Test
    void dependsOnlyOnCommonOciAndLibraries() {
        classes().that().resideInAPackage("dev.berth.builder..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.builder..", "dev.berth.common..",
                        "dev.berth.oci..", "java..", "javax..", "org.apache.commons.compress..", "tools.jackson..",
                        "com.fasterxml.jackson.annotation..", "")
                .check(classes);
    }

    @Test
    void parsingDoesNotKnowExecution() {
        classes().that().resideInAnyPackage("dev.berth.builder.parse..", "dev.berth.builder.instructions..",
                        "dev.berth.builder.shell..", "dev.berth.builder.ignore..", "dev.berth.builder.plan..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage("dev.berth.builder.exec..")
                .check(classes);
    }
}
