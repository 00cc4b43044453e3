package dev.verity.modelhub.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped tokenizer.json on the native Hugging Face library, against the project's own encoder. */
class TokenizerFileTest {
    static final String SHIPPED = "/lm/tokenizer.json";

    private static TokenizerFile tokenizer;
    private static BpeEncoder oracle;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TokenizerFileTest.class.getResourceAsStream(SHIPPED)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            tokenizer = TokenizerFile.parse(json, SHIPPED);
            oracle = new BpeEncoder(TokenizerJson.read(json));
        }
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void declaresTheVocabularyAndTheSpecialTokens() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(2048);
        assertThat(tokenizer.specialTokenId(SpecialTokens.END_OF_TEXT)).isZero();
        assertThat(tokenizer.specialTokenId(SpecialTokens.IM_START)).isEqualTo(1);
        assertThat(tokenizer.specialTokenId(SpecialTokens.IM_END)).isEqualTo(2);
        assertThat(tokenizer.specialTokens()).hasSize(3);
        assertThatThrownBy(() -> tokenizer.specialTokenId("<pad>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no special token <pad>");
    }

    @Test
    void specialTokensInTheTextAreRecognisedButNeverAdded() {
        assertThat(tokenizer.encode("<|im_start|>user\nHi<|im_end|>")).startsWith(1).endsWith(2);
        int[] plain = tokenizer.encode("And God said");
        assertThat(plain).doesNotContain(0, 1, 2);
    }

    @Test
    void nativeAndJavaEncodersAgree() {
        String text = """
                And the LORD God formed man of the dust of the ground, and breathed into his nostrils the breath of life.
                "My dear Mr. Bennet," said his lady to him one day, "have you heard that Netherfield Park is let at last?"

                It's 1813; they'll pay £5,000 -- naïve café, Æsop, Ångström, 日本語, Ελληνικά, emoji 👋🏽 and tabs\t\there.
                   indented    spaces  \r\n and the end""";
        assertThat(tokenizer.encode(text)).isEqualTo(oracle.encode(text));
        for (String piece : new String[] {" ", "\n\n\n", "'s", "'S", "a'b", "x  y", "\u00A0\u2003z", "1,234.5"}) {
            assertThat(tokenizer.encode(piece)).as(piece).isEqualTo(oracle.encode(piece));
        }
    }

    @Test
    void roundTripsAnyText() {
        for (String text : new String[] {"plain ASCII text.", "accents: naïve café résumé Ærø", "emoji 👋🏽👨‍👩‍👧 ok",
                "CJK 日本語の文章と한국어", "<|endoftext|>between<|im_end|>", "  \n\t mixed  whitespace \n"}) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(text).isEqualTo(text);
        }
    }

    @Test
    void emptyTextAndInvalidInputBehave() {
        assertThat(tokenizer.encode("")).isEmpty();
        assertThat(tokenizer.decode(new int[0])).isEmpty();
        assertThatThrownBy(() -> tokenizer.encode("bad \uD800 surrogate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+D800 at index 4");
        assertThatThrownBy(() -> tokenizer.encode("\uDC00"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
        // A lone continuation byte or half an emoji is not UTF-8: it decodes to the replacement character.
        int byte0x80 = 3 + 0x80;
        assertThat(tokenizer.decode(new int[] {byte0x80})).isEqualTo("\uFFFD");
        assertThatThrownBy(() -> tokenizer.decode(new int[] {2048}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary of 2048");
    }

    @Test
    void streamingReturnsOnlyWholeCharacters() {
        String text = "Emma said: héllo 👋🏽 — 日本 <|im_end|>";
        int[] ids = tokenizer.encode(text);
        TokenStreamDecoder stream = tokenizer.streamDecoder();
        StringBuilder streamed = new StringBuilder();
        int emptySteps = 0;
        for (int id : ids) {
            String piece = stream.next(id);
            assertThat(piece).doesNotContain("\uFFFD");
            emptySteps += piece.isEmpty() ? 1 : 0;
            streamed.append(piece);
        }
        streamed.append(stream.finish());
        assertThat(streamed.toString()).isEqualTo(text);
        assertThat(emptySteps).as("some characters span several tokens").isPositive();
    }

    @Test
    void streamingFlushesAnIncompleteCharacterAtTheEnd() {
        TokenStreamDecoder stream = tokenizer.streamDecoder();
        assertThat(stream.next(3 + 0xF0)).isEmpty(); // the first byte of a four-byte character
        assertThat(stream.finish()).isEqualTo("\uFFFD");
        assertThat(stream.next(3 + 'a')).isEqualTo("a");
    }

    @Test
    void loadsFromAPathAndExplainsBadFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = TokenizerFileTest.class.getResourceAsStream(SHIPPED)) {
            Files.write(file, in.readAllBytes());
        }
        try (TokenizerFile loaded = TokenizerFile.load(file)) {
            assertThat(loaded.encode("In the beginning")).isEqualTo(tokenizer.encode("In the beginning"));
        }
        assertThatThrownBy(() -> TokenizerFile.load(dir.resolve("absent.json")))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("broken.json"), "{\"model\": ");
        assertThatThrownBy(() -> TokenizerFile.load(dir.resolve("broken.json")))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("not valid JSON");
        Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        assertThatThrownBy(() -> TokenizerFile.load(dir.resolve("other.json")))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("no model.vocab");
        Files.writeString(dir.resolve("rejected.json"), "{\"model\": {\"type\": \"Nonsense\", \"vocab\": {\"a\": 0}}}");
        assertThatThrownBy(() -> TokenizerFile.load(dir.resolve("rejected.json")))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("rejects the file");
    }

    @Test
    void loadsTheNativeLibraryOffline() {
        assertThat(System.getProperty(NativeTokenizerLibrary.OFFLINE_PROPERTY)).isEqualTo("true");
        assertThat(System.getProperty(NativeTokenizerLibrary.OPT_OUT_TRACKING_PROPERTY)).isEqualTo("true");
    }
}
