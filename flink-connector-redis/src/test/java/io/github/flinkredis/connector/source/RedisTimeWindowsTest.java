package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.model.RedisTimeWindows.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTimeWindowsTest {

    private static List<Window> all(RedisTimeWindows windows) {
        List<Window> out = new ArrayList<>();
        while (windows.hasNext()) {
            out.add(windows.next());
        }
        return out;
    }

    @Test
    void oneSamplePerMillisecondGivesWindowsOfOnePage() {
        // 10,000 samples at 1..10,000 ms, pages of 1,000, read from 2,001 to the end
        List<Window> windows =
                all(RedisTimeWindows.plan(2_001, Long.MAX_VALUE, 10_000, 1, 10_000, 1_000));

        assertThat(windows)
                .containsExactly(
                        new Window(2_001, 3_000),
                        new Window(3_001, 4_000),
                        new Window(4_001, 5_000),
                        new Window(5_001, 6_000),
                        new Window(6_001, 7_000),
                        new Window(7_001, 8_000),
                        new Window(8_001, 9_000),
                        new Window(9_001, Long.MAX_VALUE));
    }

    @Test
    void theLastWindowReachesTheEndOfTheRangeRead() {
        // a range ending at 5,500: the planned end is the range's; the last window ends there
        assertThat(all(RedisTimeWindows.plan(3_001, 5_500, 10_000, 1, 10_000, 1_000)))
                .containsExactly(
                        new Window(3_001, 4_000),
                        new Window(4_001, 5_000),
                        new Window(5_001, 5_500));
        // samples added after planning (past 10,000) are in the last window
        assertThat(all(RedisTimeWindows.plan(9_500, 20_000, 10_000, 1, 10_000, 1_000)))
                .containsExactly(new Window(9_500, 20_000));
    }

    @Test
    void sparseSeriesGetWiderWindowsAndNoMoreThanItsPages() {
        // 100 samples over 1,000,000 ms, pages of 10: windows of 100,000 ms
        List<Window> windows = all(RedisTimeWindows.plan(0, Long.MAX_VALUE, 100, 0, 999_999, 10));

        assertThat(windows).hasSize(10);
        assertThat(windows.get(0)).isEqualTo(new Window(0, 99_999));
        assertThat(windows.get(9)).isEqualTo(new Window(900_000, Long.MAX_VALUE));
    }

    @Test
    void unknownOrEmptySeriesIsOneWindow() {
        assertThat(all(RedisTimeWindows.plan(5, Long.MAX_VALUE, 0, 0, 0, 1_000)))
                .containsExactly(new Window(5, Long.MAX_VALUE));
        assertThat(all(RedisTimeWindows.plan(5, 99, -1, 0, 0, 1_000)))
                .containsExactly(new Window(5, 99));
        // reading from past the last sample
        assertThat(all(RedisTimeWindows.plan(20_000, Long.MAX_VALUE, 10_000, 1, 10_000, 1_000)))
                .containsExactly(new Window(20_000, Long.MAX_VALUE));
    }

    @Test
    void denseKeysHaveWindowsOfOneMillisecond() {
        // a stream of 1,000,000 entries added within 10 ms: 100,000 per ms, pages of 1,000
        RedisTimeWindows windows =
                RedisTimeWindows.plan(100, Long.MAX_VALUE, 1_000_000, 100, 109, 1_000);

        assertThat(windows.width()).isEqualTo(1);
        assertThat(all(windows)).hasSize(10).startsWith(new Window(100, 100));
    }

    @Test
    void nextPastTheLastWindowFails() {
        RedisTimeWindows windows = RedisTimeWindows.plan(0, 10, 0, 0, 0, 1);
        windows.next();

        assertThat(windows.hasNext()).isFalse();
        assertThatThrownBy(windows::next).isInstanceOf(IllegalStateException.class);
    }
}
