package dev.berth.daemon.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import org.junit.jupiter.api.Test;

class DialErrorsTest {
    @Test
    void refusedConnectionReadsLikeGo() {
        BerthException e = DialErrors.reword(BerthException.unavailable("Get \"http://127.0.0.1:5999/v2/\": ConnectException"));
        assertThat(e.getMessage()).isEqualTo("Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused");
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    }

    @Test
    void unknownHostReadsLikeGo() {
        BerthException e = DialErrors.reword(BerthException.unavailable("Get \"https://nosuchhost.invalid/v2/\": ConnectException"));
        assertThat(e.getMessage()).isEqualTo("Get \"https://nosuchhost.invalid/v2/\": dial tcp: lookup nosuchhost.invalid: no such host");
    }

    @Test
    void otherErrorsAreKept() {
        BerthException original = BerthException.notFound("manifest for x:y not found: manifest unknown");
        assertThat(DialErrors.reword(original)).isSameAs(original);
        BerthException status = BerthException.unavailable("Get \"https://h/v2/\": registry /v2/ answered 500");
        assertThat(DialErrors.reword(status)).isSameAs(status);
    }
}
