package dev.verity.modelhub.floatengine;

/**
 * A node the float engine cannot run: an operator type it does not implement, or a supported operator used with an
 * attribute value or element type it does not implement (a Cast to DOUBLE, Dropout in training mode, ...).
 */
public class UnsupportedOperatorException extends RuntimeException {
    private final String opType;
    private final String nodeName;

    public UnsupportedOperatorException(String opType, String nodeName, String message) {
        super(message);
        this.opType = opType;
        this.nodeName = nodeName;
    }

    /** The operator type, as in the graph ("Conv"). */
    public String opType() {
        return opType;
    }

    /** The node's name, or its first output's name when the node has none. */
    public String nodeName() {
        return nodeName;
    }
}
