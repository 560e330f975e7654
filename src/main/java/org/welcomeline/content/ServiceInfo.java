package org.welcomeline.content;

/** One topic's answer in one language, from {@code content/<lang>/services.yaml}. */
public record ServiceInfo(String topic, String title, String sms, String web, String contact,
                          String address, String hours, String review) {
}
