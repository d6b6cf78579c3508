import { describe, expect, it } from "vitest";
import { checkCustomRange, fromLocalInput, toLocalInput } from "./localDateTime";

describe("datetime-local conversion", () => {
  it("round-trips whole seconds in the viewer's zone", () => {
    const ms = Date.UTC(2026, 11, 8, 2, 15, 30);
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms);
  });

  it("reads inputs without seconds and refuses partial ones", () => {
    expect(fromLocalInput("2026-12-08T02:15")).toBe(new Date(2026, 11, 8, 2, 15).getTime());
    expect(fromLocalInput("2026-12-08")).toBeUndefined();
    expect(fromLocalInput("")).toBeUndefined();
  });

  it("explains a custom range it cannot apply", () => {
    expect(checkCustomRange("", "2026-12-08T02:15")).toBe("Enter a start date and time");
    expect(checkCustomRange("2026-12-08T02:15", "2026-12-08T02:00")).toBe("The end must be after the start");
    expect(checkCustomRange("2026-12-08T02:00", "2026-12-08T02:15")).toEqual({
      from: new Date(2026, 11, 8, 2).getTime(),
      to: new Date(2026, 11, 8, 2, 15).getTime(),
    });
  });
});
