package dev.verity.inference.program;

/** A constant tensor of a program (for example the second operand of an element-wise Add). */
public record Constant(String name, Tensor value) {
    public Constant {
        Op.checkName(name);
        if (value == null) {
            throw new IllegalArgumentException("constant '" + name + "' has no value");
        }
    }
}
