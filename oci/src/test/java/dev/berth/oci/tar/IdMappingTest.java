package dev.berth.oci.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdMappingTest {
    private final IdMapping remap = IdMapping.of(0, 100000, 65536);

    @Test
    void mapsBothWaysInsideTheRange() {
        assertThat(remap.toHost(0, 0)).isEqualTo(new IdMapping.Ids(100000, 100000));
        assertThat(remap.toHost(1000, 50)).isEqualTo(new IdMapping.Ids(101000, 100050));
        assertThat(remap.toHost(65535, 65535)).isEqualTo(new IdMapping.Ids(165535, 165535));
        assertThat(remap.toContainer(100000, 101000)).isEqualTo(new IdMapping.Ids(0, 1000));
        assertThat(remap.toContainer(165535, 165535)).isEqualTo(new IdMapping.Ids(65535, 65535));
        assertThat(remap.rootPair()).isEqualTo(new IdMapping.Ids(100000, 100000));
    }

    @Test
    void idsOutsideTheRangeFailWithMobysWords() {
        assertThatThrownBy(() -> remap.toHost(65536, 0))
                .isInstanceOf(BerthException.class).hasMessage("container ID 65536 cannot be mapped to a host ID")
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.INTERNAL));
        assertThatThrownBy(() -> remap.toHost(0, 70000)).hasMessage("container ID 70000 cannot be mapped to a host ID");
        assertThatThrownBy(() -> remap.toContainer(0, 100000)).hasMessage("host ID 0 cannot be mapped to a container ID");
        assertThatThrownBy(() -> remap.toContainer(100000, 165536)).hasMessage("host ID 165536 cannot be mapped to a container ID");
    }

    @Test
    void toHostKeepsTheRemappedRootsOwnIdsAsMobyDoes() {
        // an archive that already carries the remapped root's host ids stays owned by the container's root
        assertThat(remap.toHost(100000, 100000)).isEqualTo(new IdMapping.Ids(100000, 100000));
    }

    @Test
    void overflowIsWhatTheContainerSeesForForeignIds() {
        assertThat(remap.uidToContainerOrOverflow(0)).isEqualTo(65534);
        assertThat(remap.gidToContainerOrOverflow(200000)).isEqualTo(65534);
        assertThat(remap.uidToContainerOrOverflow(101000)).isEqualTo(1000);
        assertThat(remap.uidToContainer(5)).isEqualTo(-1);
    }

    @Test
    void identityMapsEverythingToItself() {
        assertThat(IdMapping.IDENTITY.isIdentity()).isTrue();
        assertThat(remap.isIdentity()).isFalse();
        assertThat(IdMapping.IDENTITY.toHost(4242, 7)).isEqualTo(new IdMapping.Ids(4242, 7));
        assertThat(IdMapping.IDENTITY.toContainer(4242, 7)).isEqualTo(new IdMapping.Ids(4242, 7));
        assertThat(IdMapping.IDENTITY.rootPair()).isEqualTo(new IdMapping.Ids(0, 0));
        // an empty list is the identity for that kind only, as in moby
        IdMapping usersOnly = new IdMapping(List.of(new IdMapping.Range(0, 100000, 10)), List.of());
        assertThat(usersOnly.toHost(3, 3)).isEqualTo(new IdMapping.Ids(100003, 3));
    }

    @Test
    void severalRanges() {
        IdMapping m = new IdMapping(
                List.of(new IdMapping.Range(0, 100000, 1000), new IdMapping.Range(1000, 300000, 1000)),
                List.of(new IdMapping.Range(0, 100000, 2000)));
        assertThat(m.toHost(1500, 1500)).isEqualTo(new IdMapping.Ids(300500, 101500));
        assertThat(m.toContainer(300999, 100001)).isEqualTo(new IdMapping.Ids(1999, 1));
        assertThatThrownBy(() -> m.toHost(2000, 0)).hasMessage("container ID 2000 cannot be mapped to a host ID");
    }

    @Test
    void fromProcReadsUidMapAndKnowsTheInitialNamespace() {
        assertThat(IdMapping.fromProc("         0          0 4294967295\n", "         0          0 4294967295\n"))
                .isSameAs(IdMapping.IDENTITY);
        IdMapping m = IdMapping.fromProc("         0     100000      65536\n", "         0     100000      65536\n");
        assertThat(m).isEqualTo(remap);
    }

    @Test
    void rangesAreValidated() {
        assertThatThrownBy(() -> new IdMapping.Range(0, 100000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdMapping.Range(-1, 100000, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
