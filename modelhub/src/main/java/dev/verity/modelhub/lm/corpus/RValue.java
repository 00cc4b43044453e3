package dev.verity.modelhub.lm.corpus;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The R objects that {@link RSerializationReader} understands: the vectors, lists and pairlists that data sets are
 * made of. Attributes (names, class, ...) are kept by name, in the order R wrote them.
 */
public sealed interface RValue {
    /** Attributes of this object; empty when it has none. */
    default Map<String, RValue> attributes() {
        return Map.of();
    }

    /** The {@code names} attribute, or an empty list. */
    default List<String> names() {
        return attributes().get("names") instanceof Strings s ? s.values() : List.of();
    }

    /** {@code NULL}. */
    record Null() implements RValue {
    }

    /** A symbol, such as an attribute name. */
    record Symbol(String name) implements RValue {
    }

    /** A character vector ({@code STRSXP}); {@code NA} elements are {@code null}. */
    record Strings(List<String> values, Map<String, RValue> attributes) implements RValue {
        public Strings {
            values = Collections.unmodifiableList(values);
            attributes = Collections.unmodifiableMap(attributes);
        }
    }

    /** An integer vector ({@code INTSXP}); {@code NA} is {@link Integer#MIN_VALUE}, as in R. */
    record Integers(int[] values, Map<String, RValue> attributes) implements RValue {
        public Integers {
            attributes = Collections.unmodifiableMap(attributes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Integers i && Arrays.equals(values, i.values) && attributes.equals(i.attributes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Integers" + Arrays.toString(values);
        }
    }

    /** A logical vector ({@code LGLSXP}): 0 false, 1 true, {@link Integer#MIN_VALUE} NA. */
    record Logicals(int[] values, Map<String, RValue> attributes) implements RValue {
        public Logicals {
            attributes = Collections.unmodifiableMap(attributes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Logicals l && Arrays.equals(values, l.values) && attributes.equals(l.attributes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Logicals" + Arrays.toString(values);
        }
    }

    /** A generic vector ({@code VECSXP}), R's {@code list()}. */
    record GenericVector(List<RValue> elements, Map<String, RValue> attributes) implements RValue {
        public GenericVector {
            elements = Collections.unmodifiableList(elements);
            attributes = Collections.unmodifiableMap(attributes);
        }

        /** The element with this name. */
        public RValue get(String name) {
            int index = names().indexOf(name);
            if (index < 0) {
                throw new CorpusFormatException("the R list has no element named '" + name + "' (names: " + names() + ")");
            }
            return elements.get(index);
        }
    }

    /** A pairlist ({@code LISTSXP}) outside an attribute position: its tags and values in order. */
    record PairList(List<Map.Entry<String, RValue>> entries) implements RValue {
        public PairList {
            entries = Collections.unmodifiableList(entries);
        }
    }
}
