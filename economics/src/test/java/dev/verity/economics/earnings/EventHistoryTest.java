package dev.verity.economics.earnings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.api.EventView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHistoryTest {
    static final PublicKey NODE = PrivateKey.deterministic("history-node").publicKey();
    static final PublicKey OTHER = PrivateKey.deterministic("history-other").publicKey();

    /** A chain's stored events, answered as GET /v1/events answers: filter, from position, limit. */
    static final class FakeNode implements EventHistory.EventSource {
        final List<EventView> chain = new ArrayList<>();
        final boolean honoursFromIndex;
        final List<EventQuery> asked = new ArrayList<>();

        FakeNode(boolean honoursFromIndex) {
            this.honoursFromIndex = honoursFromIndex;
        }

        void block(long height, int events, String node, String account) {
            int start = (int) chain.stream().filter(e -> e.height() == height).count();
            for (int i = 0; i < events; i++) {
                chain.add(new EventView(height, start + i, 1_000 * height, "NODE_PAID", null, node, account, 1, "r", "NONE"));
            }
        }

        @Override
        public List<EventView> events(EventQuery q) {
            asked.add(q);
            long from = q.fromHeight() == null ? 0 : q.fromHeight();
            int fromIndex = honoursFromIndex && q.fromIndex() != null ? q.fromIndex() : 0;
            int limit = q.limit() == null ? 100 : q.limit();
            List<EventView> page = new ArrayList<>();
            for (EventView e : chain) {
                boolean subject = q.node() != null ? q.node().hex().equals(e.node())
                        : q.account() == null || q.account().hex().equals(e.account());
                boolean after = e.height() > from || (e.height() == from && e.index() >= fromIndex);
                if (subject && after && page.size() < limit) {
                    page.add(e);
                }
            }
            return page;
        }
    }

    @Test
    void readsEveryEventOnceThroughBothFiltersAcrossABlockLargerThanAPage() {
        FakeNode n = new FakeNode(true);
        String k = NODE.hex();
        n.block(1, 3, k, k); // in both filters
        n.block(2, 2, null, k); // account only (a dispute reward, a lost bond)
        n.block(2, 4, OTHER.hex(), OTHER.hex()); // someone else's
        n.block(3, 2_500, k, k); // one block with more of the node's events than a page
        n.block(3, 1, null, k);
        n.block(4, 999, k, null);
        n.block(5, 1_000, k, OTHER.hex());
        n.block(6, 7, k, k);

        EventHistory.Snapshot s = EventHistory.fetch(n, 6, NODE, 0, EventHistory.PAGE);
        List<EventView> expected = n.chain.stream().filter(e -> k.equals(e.node()) || k.equals(e.account())).toList();
        assertThat(s.height()).isEqualTo(6);
        assertThat(s.events()).hasSize(3 + 2 + 2_500 + 1 + 999 + 1_000 + 7).isEqualTo(expected);
        assertThat(n.asked).allSatisfy(q -> assertThat(q.limit()).isEqualTo(EventHistory.PAGE));

        // Any page size reads the same events.
        for (int page : new int[] {1, 2, 7, 999}) {
            assertThat(EventHistory.fetch(n, 6, NODE, 0, page).events()).as("page %d", page).isEqualTo(expected);
        }
    }

    @Test
    void keepsOnlyBlocksFromTheStartHeightUpToTheHeadReadFirst() {
        FakeNode n = new FakeNode(true);
        String k = NODE.hex();
        for (int h = 1; h <= 9; h++) {
            n.block(h, 3, k, k);
        }
        // Blocks 8 and 9 came after the head was read: neither filter may see them, or they would disagree.
        List<EventView> s = EventHistory.fetch(n, 7, NODE, 3, 2).events();
        assertThat(s).extracting(EventView::height).containsOnly(3L, 4L, 5L, 6L, 7L).hasSize(15);
        assertThat(EventHistory.fetch(n, 0, NODE, 0, 10).events()).isEmpty();
    }

    @Test
    void aNodeThatIgnoresFromIndexIsReadWholeUnlessABlockOverflowsAPage() {
        FakeNode small = new FakeNode(false);
        String k = NODE.hex();
        for (int h = 1; h <= 5; h++) {
            small.block(h, 4, k, k);
        }
        // Pages end mid-block and start over at that block's first event: those already read are dropped.
        assertThat(EventHistory.fetch(small, 5, NODE, 0, 6).events()).hasSize(20)
                .isEqualTo(small.chain);

        FakeNode big = new FakeNode(false);
        big.block(1, 12, k, k);
        assertThatThrownBy(() -> EventHistory.fetch(big, 1, NODE, 0, 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not page by position");
    }

    @Test
    void refusesBadArguments() {
        FakeNode n = new FakeNode(true);
        assertThatThrownBy(() -> EventHistory.fetch(n, 1, NODE, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventHistory.fetch(n, 1, NODE, 0, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventHistory.fetch(n, 1, NODE, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
