package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

class SharedClientResourcesTest {

    @Test
    void sharesOneInstanceUntilTheLastHolderReleasesIt() {
        int before = SharedClientResources.referenceCount();
        ClientResources first = SharedClientResources.acquire();
        ClientResources second = SharedClientResources.acquire();
        assertThat(second).isSameAs(first);
        assertThat(SharedClientResources.referenceCount()).isEqualTo(before + 2);

        SharedClientResources.release();
        SharedClientResources.release();
        assertThat(SharedClientResources.referenceCount()).isEqualTo(before);
        if (before == 0) {
            ClientResources third = SharedClientResources.acquire();
            try {
                assertThat(third).isNotSameAs(first);
            } finally {
                SharedClientResources.release();
            }
        }
    }
}
