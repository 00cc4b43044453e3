package dev.verity.compute.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnpCertTableTest {
    static final byte[] VCEK = der(0x11, 40);
    static final byte[] ASK = der(0x22, 33);
    static final byte[] ARK = der(0x33, 27);

    /** A DER-looking blob: a SEQUENCE header and filler. */
    static byte[] der(int fill, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        b[0] = 0x30;
        b[1] = (byte) (length - 2);
        return b;
    }

    /** The table layout: entries, an all-zero terminator, then the certificates in entry order. */
    static byte[] table(List<String> guids, List<byte[]> certs) {
        int header = (guids.size() + 1) * SnpCertTable.ENTRY_SIZE;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(header).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < guids.size(); i++) {
            h.put(SnpCertTable.guidBytes(guids.get(i)));
            h.putInt(header + data.size());
            h.putInt(certs.get(i).length);
            data.writeBytes(certs.get(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    static byte[] standardTable() {
        return table(List.of(SnpCertTable.VCEK_GUID, SnpCertTable.ASK_GUID, SnpCertTable.ARK_GUID), List.of(VCEK, ASK, ARK));
    }

    @Test
    void parsesEntriesInTableOrder() {
        List<SnpCertTable.Entry> entries = SnpCertTable.parse(standardTable());
        assertThat(entries).extracting(SnpCertTable.Entry::guid)
                .containsExactly(SnpCertTable.VCEK_GUID, SnpCertTable.ASK_GUID, SnpCertTable.ARK_GUID);
        assertThat(entries).extracting(SnpCertTable.Entry::kind).containsExactly("VCEK", "ASK", "ARK");
        assertThat(entries.get(0).der()).isEqualTo(VCEK);
        assertThat(entries.get(1).der()).isEqualTo(ASK);
        assertThat(entries.get(2).der()).isEqualTo(ARK);
        assertThat(SnpCertTable.find(entries, SnpCertTable.ASK_GUID)).hasValueSatisfying(d -> assertThat(d).isEqualTo(ASK));
        assertThat(SnpCertTable.find(entries, SnpCertTable.VLEK_GUID)).isEmpty();
    }

    @Test
    void guidBytesAreInTextOrder() {
        // the VCEK GUID as go-sev-guest and the GHCB table carry it: the bytes of its text, not mixed-endian
        assertThat(SnpCertTable.guidBytes(SnpCertTable.VCEK_GUID)).containsExactly(
                0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd);
        byte[] t = standardTable();
        assertThat(t[0] & 0xff).isEqualTo(0x63);
        assertThat(t[3] & 0xff).isEqualTo(0x8d);
    }

    @Test
    void vlekAndUnknownGuidsAndPaddingAfterTheData() {
        String other = "01234567-89ab-cdef-0123-456789abcdef";
        byte[] t = table(List.of(SnpCertTable.VLEK_GUID, other), List.of(VCEK, ASK));
        byte[] padded = Arrays.copyOf(t, 4096); // the kernel hands over whole pages
        List<SnpCertTable.Entry> entries = SnpCertTable.parse(padded);
        assertThat(entries).extracting(SnpCertTable.Entry::kind).containsExactly("VLEK", "unknown");
        assertThat(entries.get(1).guid()).isEqualTo(other);
    }

    @Test
    void emptyTablesHaveNoEntries() {
        assertThat(SnpCertTable.parse(new byte[0])).isEmpty();
        assertThat(SnpCertTable.parse(new byte[SnpCertTable.ENTRY_SIZE])).isEmpty(); // just the terminator
    }

    @Test
    void tableWithoutTerminatorIsTruncated() {
        byte[] t = standardTable();
        byte[] cut = Arrays.copyOf(t, SnpCertTable.ENTRY_SIZE * 2 + 5);
        assertThatThrownBy(() -> SnpCertTable.parse(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated").hasMessageContaining("terminating");
        assertThatThrownBy(() -> SnpCertTable.parse(new byte[10])).hasMessageContaining("truncated");
    }

    @Test
    void certificateOutsideTheTableIsRefused() {
        byte[] t = standardTable();
        byte[] cut = Arrays.copyOf(t, t.length - 1); // the ARK loses its last byte
        assertThatThrownBy(() -> SnpCertTable.parse(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2").hasMessageContaining(SnpCertTable.ARK_GUID)
                .hasMessageContaining("outside the table");
    }

    @Test
    void hugeOffsetsDoNotOverflow() {
        byte[] t = standardTable();
        ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0xffff_fff0).putInt(20, 0x20);
        assertThatThrownBy(() -> SnpCertTable.parse(t)).hasMessageContaining("outside the table")
                .hasMessageContaining("4294967280");
    }

    @Test
    void offsetIntoTheEntryListIsRefused() {
        byte[] t = standardTable();
        ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).putInt(SnpCertTable.ENTRY_SIZE + 16, 8);
        assertThatThrownBy(() -> SnpCertTable.parse(t)).hasMessageContaining("entry 1")
                .hasMessageContaining("points into the entry list");
    }
}
