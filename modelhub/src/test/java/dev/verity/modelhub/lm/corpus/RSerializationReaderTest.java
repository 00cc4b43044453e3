package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RSerializationReaderTest {
    @Test
    void readsACharacterVectorWithNaAndUtf8InBothVersions() {
        for (int version : new int[] {2, 3}) {
            byte[] data = new RDataWriter().header(version).strings("Emma", null, "naïve £5", "").bytes();
            RValue value = RSerializationReader.read(data);
            assertThat(value).isInstanceOf(RValue.Strings.class);
            assertThat(((RValue.Strings) value).values()).containsExactly("Emma", null, "naïve £5", "");
        }
    }

    @Test
    void readsLatin1AndAsciiMarkedStrings() {
        RDataWriter w = new RDataWriter().header(3);
        w.flags(16, false, false, 0).integer(2).charsxp("café", RDataWriter.LATIN1).charsxp("plain", RDataWriter.ASCII);
        assertThat(((RValue.Strings) RSerializationReader.read(w.bytes())).values()).containsExactly("café", "plain");
    }

    @Test
    void readsANamedListWithSharedSymbolsAndAGzipWrapper() {
        // list(variables = list(a = c(0L, 10L)), compressed = TRUE), as a lazy-load index holds it
        RDataWriter w = new RDataWriter().header(3);
        w.flags(19, true, false, 0).integer(2);
        w.flags(19, true, false, 0).integer(1);
        w.flags(13, false, false, 0).integer(2).integer(0).integer(10);
        w.namesAttribute("a");                 // first use of the symbol `names`: reference 1 from now on
        w.flags(10, false, false, 0).integer(1).integer(1);
        w.namesAttributeByReference(1, "variables", "compressed");

        RValue root = RSerializationReader.read(w.gzipped());
        assertThat(root).isInstanceOf(RValue.GenericVector.class);
        RValue.GenericVector list = (RValue.GenericVector) root;
        assertThat(list.names()).containsExactly("variables", "compressed");
        RValue.GenericVector variables = (RValue.GenericVector) list.get("variables");
        assertThat(variables.names()).containsExactly("a");
        assertThat(((RValue.Integers) variables.get("a")).values()).containsExactly(0, 10);
        assertThat(((RValue.Logicals) list.get("compressed")).values()).containsExactly(1);
        assertThatThrownBy(() -> list.get("references"))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("no element named 'references'");
    }

    @Test
    void readsALazyLoadEntry() {
        byte[] entry = new RDataWriter().header(3).strings("It is a truth universally acknowledged").zlibEntry();
        assertThat(((RValue.Strings) RSerializationReader.readZlibEntry(entry)).values())
                .containsExactly("It is a truth universally acknowledged");
        byte[] wrongLength = entry.clone();
        wrongLength[3]++;
        assertThatThrownBy(() -> RSerializationReader.readZlibEntry(wrongLength))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("its prefix says");
        assertThatThrownBy(() -> RSerializationReader.readZlibEntry(new byte[] {0, 0, 0, 4, 1, 2, 3, 4}))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("not a zlib stream");
    }

    @Test
    void refusesObjectsItDoesNotRead() {
        byte[] doubles = new RDataWriter().header(3).flags(14, false, false, 0).integer(1).integer(0).integer(0).bytes();
        assertThatThrownBy(() -> RSerializationReader.read(doubles))
                .isInstanceOf(CorpusFormatException.class)
                .hasMessageContaining("REALSXP (14)")
                .hasMessageContaining("not supported");
        byte[] environment = new RDataWriter().header(2).flags(4, false, false, 0).bytes();
        assertThatThrownBy(() -> RSerializationReader.read(environment))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("ENVSXP (4)");
    }

    @Test
    void refusesOtherFormatsAndVersionsAndTruncation() {
        assertThatThrownBy(() -> RSerializationReader.read("A\n3\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("ASCII");
        byte[] version4 = new RDataWriter().raw("X\n".getBytes(StandardCharsets.US_ASCII)).integer(4).integer(0).integer(0).bytes();
        assertThatThrownBy(() -> RSerializationReader.read(version4))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("version 4");
        byte[] full = new RDataWriter().header(3).strings("a longer string").bytes();
        assertThatThrownBy(() -> RSerializationReader.read(Arrays.copyOf(full, full.length - 3)))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("ends early");
        byte[] trailing = Arrays.copyOf(full, full.length + 2);
        assertThatThrownBy(() -> RSerializationReader.read(trailing))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("2 bytes follow");
    }

    @Test
    void refusesInvalidUtf8() {
        RDataWriter w = new RDataWriter().header(3);
        w.flags(16, false, false, 0).integer(1).flags(9, false, false, RDataWriter.UTF8).integer(2)
                .raw(new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> RSerializationReader.read(w.bytes()))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("not valid UTF-8");
    }
}
