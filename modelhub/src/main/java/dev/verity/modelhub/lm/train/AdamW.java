package dev.verity.modelhub.lm.train;

/**
 * AdamW (Loshchilov and Hutter, 2019): Adam with weight decay applied to the weights directly, not through the
 * gradient, and only to the tensors {@link ParameterLayout.Tensor#decayed} marks (matrices and embeddings).
 */
final class AdamW {
    private final ParameterLayout layout;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final float[] m;
    private final float[] v;
    private int steps;

    AdamW(ParameterLayout layout, double beta1, double beta2, double epsilon, double weightDecay) {
        this.layout = layout;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new float[layout.size()];
        this.v = new float[layout.size()];
    }

    /** One update of {@code values} from {@code gradient} times {@code gradientScale} (the clipping factor). */
    void step(float[] values, float[] gradient, float gradientScale, double learningRate) {
        steps++;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float correction1 = (float) (1 - Math.pow(beta1, steps));
        float correction2 = (float) (1 - Math.pow(beta2, steps));
        float rate = (float) learningRate;
        float eps = (float) epsilon;
        for (ParameterLayout.Tensor t : layout.tensors()) {
            float decay = t.decayed() ? (float) (1 - learningRate * weightDecay) : 1f;
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                float g = gradient[i] * gradientScale;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                float mHat = m[i] / correction1;
                float vHat = v[i] / correction2;
                values[i] = values[i] * decay - rate * mHat / ((float) Math.sqrt(vHat) + eps);
            }
        }
    }
}
