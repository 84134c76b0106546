package dev.toolguard.agent.runtime;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** How the start line names the admin API's address (the one actually bound, so port 0 can be found). */
class StartLineTest {

    @Test
    void anIpv4AddressIsWrittenAsAUrl() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 41679);

        assertThat(StartLine.url(a)).isEqualTo("http://127.0.0.1:41679");
    }

    @Test
    void anIpv6AddressIsBracketed() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 9464);

        assertThat(StartLine.url(a)).isEqualTo("http://[0:0:0:0:0:0:0:1]:9464");
    }
}
