package dev.verity.compute.worker;

import dev.verity.core.Bytes;
import dev.verity.protocol.VerificationMode;
import java.nio.charset.StandardCharsets;

/** A model runner for worker tests: answers "echo INPUT", and refuses the input "poison" as a tokenizer would. */
public final class EchoRunner implements ModelRunner {
    @Override
    public byte[] run(byte[] input, VerificationMode mode) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.equals("poison")) {
            throw new IllegalArgumentException("the tokenizer cannot read this input (test)");
        }
        return Bytes.utf8("echo " + text);
    }

    @Override
    public void close() {}
}
