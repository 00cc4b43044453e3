package dev.verity.modelhub.graph;

/** ONNX tensor element types, with their TensorProto.DataType codes. */
public enum DataType {
    FLOAT(1), UINT8(2), INT8(3), UINT16(4), INT16(5), INT32(6), INT64(7), STRING(8), BOOL(9), FLOAT16(10), DOUBLE(11),
    UINT32(12), UINT64(13);

    private final int code;

    DataType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DataType fromCode(int code) {
        for (DataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX data type code " + code);
    }
}
