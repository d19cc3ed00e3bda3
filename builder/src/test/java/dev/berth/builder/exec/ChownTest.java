package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChownTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
            + "myuser:x:1000:1000::/home/myuser:/bin/sh\n";
    private static final String GROUP = "root:x:0:\nbin:x:1:\nmygroup:x:2000:\n";

    @Test
    void numericAndNames() {
        assertThat(Chown.resolve("10:11", null, null)).isEqualTo(new Chown.Owner(10, 11));
        assertThat(Chown.resolve("1", null, null)).isEqualTo(new Chown.Owner(1, 1));
        assertThat(Chown.resolve("55:mygroup", PASSWD, GROUP)).isEqualTo(new Chown.Owner(55, 2000));
        assertThat(Chown.resolve("bin", PASSWD, GROUP)).isEqualTo(new Chown.Owner(1, 1));
        assertThat(Chown.resolve("myuser:mygroup", PASSWD, GROUP)).isEqualTo(new Chown.Owner(1000, 2000));
    }

    @Test
    void unknownNames() {
        assertThatThrownBy(() -> Chown.resolve("nobody", PASSWD, GROUP))
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> Chown.resolve("1:nogroup", null, null))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
        assertThatThrownBy(() -> Chown.resolve(":1", null, null)).hasMessage("invalid chown string: :1");
    }
}
