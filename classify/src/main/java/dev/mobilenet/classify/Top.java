package dev.mobilenet.classify;

/**
 * One ranked class: its index, its label (or the index as text when the model has no labels) and its softmax
 * probability.
 */
public record Top(int index, String label, double probability) {
}
