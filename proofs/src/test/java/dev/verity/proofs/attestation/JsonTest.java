package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static Json.Value parse(String s) {
        return Json.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void valuesKeepTheBytesTheySpan() {
        String doc = " {\"a\": {\"b\":[1, -2, \"x\\\"y\", true, null]} , \"s\":\"\\u0041\"} ";
        Json.Obj top = (Json.Obj) parse(doc);
        Json.Obj a = top.object("a");
        assertThat(doc.substring(a.start(), a.end())).isEqualTo("{\"b\":[1, -2, \"x\\\"y\", true, null]}");
        assertThat(top.string("s")).isEqualTo("A");
        assertThat(a.array("b")).hasSize(5);
        assertThat(((Json.Num) a.array("b").get(1)).value()).isEqualTo(-2);
        assertThat(((Json.Str) a.array("b").get(2)).value()).isEqualTo("x\"y");
        assertThat(top.members()).extracting(Json.Member::key).containsExactly("a", "s");
    }

    @Test
    void typedGettersNameTheField() {
        Json.Obj o = (Json.Obj) parse("{\"n\":7,\"h\":\"0a0B\",\"t\":\"2023-06-18T08:42:58Z\"}");
        assertThat(o.integer("n", 10)).isEqualTo(7);
        assertThat(o.hex("h", 2)).containsExactly(0x0a, 0x0b);
        assertThat(o.time("t")).isEqualTo(java.time.Instant.parse("2023-06-18T08:42:58Z").getEpochSecond());
        assertThatThrownBy(() -> o.string("missing")).hasMessage("the field \"missing\" is missing");
        assertThatThrownBy(() -> o.string("n")).hasMessage("the field \"n\" is not a string");
        assertThatThrownBy(() -> o.integer("n", 5)).hasMessage("the field \"n\" is 7, outside 0..5");
        assertThatThrownBy(() -> o.hex("h", 3)).hasMessage("the field \"h\" is not 3 bytes of hex");
        assertThatThrownBy(() -> o.time("h")).hasMessageContaining("is not a UTC time");
    }

    @Test
    void rejectsWhatCouldBeReadTwoWays() {
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).hasMessage("duplicate key \"a\" at byte 10");
        assertThatThrownBy(() -> parse("{\"a\":1.0}")).hasMessage("only integers are accepted at byte 6");
        assertThatThrownBy(() -> parse("{\"a\":1e3}")).hasMessage("only integers are accepted at byte 6");
        assertThatThrownBy(() -> parse("{\"a\":01}")).hasMessage("leading zero in a number at byte 7");
        assertThatThrownBy(() -> parse("{\"a\":1} x")).hasMessage("unexpected data after the JSON value at byte 8");
        assertThatThrownBy(() -> Json.parse("{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("control or non-ASCII character in a string at byte 6");
        assertThatThrownBy(() -> parse("[".repeat(40) + "]".repeat(40))).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> parse("{\"a\":12345678901234567890}")).hasMessageContaining("integer too large");
        assertThatThrownBy(() -> parse("{\"a\":1")).hasMessageContaining("unexpected end of JSON");
    }
}
