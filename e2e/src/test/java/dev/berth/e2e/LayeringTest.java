package dev.berth.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's dependency rules, checked on the production classes of every module (the e2e
 * classpath holds them all). Runs without root, as a unit test.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.berth");
    }

    @Test
    void apiKnowsNoImplementation() {
        noClasses().that().resideInAPackage("dev.berth.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.daemon..", "dev.berth.server..", "dev.berth.http..",
                        "io.netty..")
                .check(classes);
    }

    @Test
    void serverDoesNotSeeDaemon() {
        noClasses().that().resideInAnyPackage("dev.berth.server..", "dev.berth.http..")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.daemon..")
                .check(classes);
    }

    @Test
    void daemonDoesNotSeeServerInternalsOrClient() {
        noClasses().that().resideOutsideOfPackages("dev.berth.cli..", "dev.berth.client..", "dev.berth.compose..", "dev.berth.e2e..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.client..", "dev.berth.cli..")
                .check(classes);
    }

    @Test
    void onlyDaemonSeesLinuxImplementationsOfSys() {
        noClasses().that().resideOutsideOfPackages("dev.berth.sys..", "dev.berth.daemon..", "dev.berth.e2e..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "Linux implementations in dev.berth.sys",
                        c -> c.getPackageName().startsWith("dev.berth.sys") && c.getSimpleName().startsWith("Linux")))
                .check(classes);
    }

    @Test
    void nettyOnlyInHttpServerClient() {
        noClasses().that().resideOutsideOfPackages("dev.berth.http..", "dev.berth.server..", "dev.berth.client..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(classes);
    }

    @Test
    void cliOnlyTalksThroughClient() {
        noClasses().that().resideInAPackage("dev.berth.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.daemon..", "dev.berth.server..", "dev.berth.http..",
                        "dev.berth.sys..", "dev.berth.store..", "dev.berth.image..", "dev.berth.runtime..", "dev.berth.network..",
                        "dev.berth.volume..", "dev.berth.oci..")
                .check(classes);
    }

    @Test
    void composeOnlyTalksThroughClient() {
        noClasses().that().resideInAPackage("dev.berth.compose..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.daemon..", "dev.berth.server..", "dev.berth.http..",
                        "dev.berth.sys..", "dev.berth.store..", "dev.berth.image..", "dev.berth.runtime..", "dev.berth.network..",
                        "dev.berth.volume..", "dev.berth.builder..", "dev.berth.cli..")
                .check(classes);
    }

    @Test
    void lowerModulesDoNotSeeHigherOnes() {
        // DESIGN.md: dependencies point down the module list, never up.
        noClasses().that().resideInAnyPackage("dev.berth.common..", "dev.berth.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.sys..", "dev.berth.store..", "dev.berth.image..",
                        "dev.berth.runtime..", "dev.berth.network..", "dev.berth.volume..", "dev.berth.api..", "dev.berth.daemon..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.berth.sys..", "dev.berth.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.image..", "dev.berth.runtime..",
                        "dev.berth.network..", "dev.berth.volume..", "dev.berth.api..", "dev.berth.daemon..", "dev.berth.server..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.berth.image..", "dev.berth.runtime..", "dev.berth.network..",
                        "dev.berth.volume..", "dev.berth.distribution..", "dev.berth.builder..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.api..", "dev.berth.daemon..", "dev.berth.server..",
                        "dev.berth.http..")
                .check(classes);
    }

    @Test
    void loggerKnowsOnlyCommon() {
        // the json-file driver is fed messages by the daemon; it must not reach into engine modules
        noClasses().that().resideInAPackage("dev.berth.logger..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.oci..", "dev.berth.sys..", "dev.berth.store..",
                        "dev.berth.image..", "dev.berth.runtime..", "dev.berth.network..", "dev.berth.volume..", "dev.berth.api..",
                        "dev.berth.daemon..", "dev.berth.server..", "dev.berth.http..")
                .check(classes);
    }

    @Test
    void processesAreSpawnedOnlyInSys() {
        noClasses().that().resideOutsideOfPackages("dev.berth.sys..", "dev.berth.e2e..")
                .and().doNotHaveFullyQualifiedName("dev.berth.cli.Terminal")
                // the CLI starts berthd (embedded default) and the registry as separate programs
                .and().doNotHaveFullyQualifiedName("dev.berth.cli.Launcher")
                .should().dependOnClassesThat().areAssignableTo(ProcessBuilder.class)
                .orShould().callMethod(Runtime.class, "exec", String.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .check(classes);
    }
}
