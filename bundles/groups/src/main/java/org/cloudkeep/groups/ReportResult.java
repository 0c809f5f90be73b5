package org.cloudkeep.groups;

/**
 * The answer to a report.
 *
 * @param ok false when a reported path is not in that group (any more)
 * @param state the device's state after the report: {@code ACTIVE} or {@code INACTIVE}
 */
public record ReportResult(boolean ok, String state) {}
