package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
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

    /** Commands written one at a time go out in consolidated socket writes. */
    @Test
    void everyChannelStartsWithAFlushConsolidationHandler() {
        ClientResources resources = SharedClientResources.acquire();
        try {
            EmbeddedChannel channel = new EmbeddedChannel();
            resources.nettyCustomizer().afterChannelInitialized(channel);
            assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
            channel.close();
        } finally {
            SharedClientResources.release();
        }
    }
}
