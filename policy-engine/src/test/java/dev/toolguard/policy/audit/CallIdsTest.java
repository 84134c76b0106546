package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Call ids: the process's prefix and the counter in hex, each id its own string however the thread's text is reused. */
class CallIdsTest {

    @Test
    void idsAreThePrefixAndTheCounterInHex() {
        CallIds ids = new CallIds();
        List<String> first = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(ids.next());
        }

        String prefix = first.get(0).substring(0, 13);
        assertThat(prefix).matches("[0-9a-f]{12}-");
        for (int i = 0; i < first.size(); i++) {
            // an id taken earlier keeps its text when later ids are written into the same buffer
            assertThat(first.get(i)).isEqualTo(prefix + Long.toHexString(i + 1));
        }
    }

    @Test
    void threadsTakeDistinctIds() throws InterruptedException {
        CallIds ids = new CallIds();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                Set<String> mine = new HashSet<>();
                for (int i = 0; i < 2_000; i++) {
                    mine.add(ids.next());
                }
                seen.addAll(mine);
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(seen).hasSize(8_000);
    }
}
