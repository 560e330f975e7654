package org.welcomeline.nlu;

/** A label with its confidence, 0..1. */
public record Scored(String name, double confidence) {
}
