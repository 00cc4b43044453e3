package dev.verity.modelhub.train;

import java.util.List;

/** The Adam optimiser (Kingma & Ba, 2015) with its usual constants, over the gradients in {@link Param#grad}. */
final class Adam {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final List<Param> params;
    private final double learningRate;
    private int steps;

    Adam(List<Param> params, double learningRate) {
        this.params = params;
        this.learningRate = learningRate;
    }

    /** One update from the current gradients (which should already be averaged over the batch). */
    void step() {
        steps++;
        double correction1 = 1 - StrictMath.pow(BETA1, steps);
        double correction2 = 1 - StrictMath.pow(BETA2, steps);
        float stepSize = (float) (learningRate * StrictMath.sqrt(correction2) / correction1);
        for (Param p : params) {
            for (int i = 0; i < p.value.length; i++) {
                float g = p.grad[i];
                p.m[i] = BETA1 * p.m[i] + (1 - BETA1) * g;
                p.v[i] = BETA2 * p.v[i] + (1 - BETA2) * g * g;
                p.value[i] -= stepSize * p.m[i] / ((float) StrictMath.sqrt(p.v[i]) + EPSILON);
            }
        }
    }
}
