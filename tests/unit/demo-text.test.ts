/** What the demos print for a person (issue 21, item 23: the SDK demo printed a raw JSON line). */
import { describeChanges, describeRequests } from "../../harness/demo-gitlab";

it("a step summary reads as words", () => {
  expect(describeChanges({ create: 2, same: 1 })).toBe("2 created, 1 unchanged");
  expect(describeChanges({ same: 2 })).toBe("2 unchanged");
  expect(describeChanges({})).toBe("no changes");
  expect(describeChanges(undefined)).toBe("no changes");
  expect(describeChanges({ create: 1 })).not.toMatch(/[{}"]/);
});

it("the token check is told apart from mirror requests", () => {
  expect(describeRequests(1, { "GET /user": 1 })).toBe("0 mirror API requests (and 1 GET /user: the provider's token check)");
  expect(describeRequests(0, {})).toBe("0 mirror API requests");
  expect(describeRequests(3, { "GET /projects/:id/remote_mirrors": 3 })).toBe("3 mirror API requests");
  expect(describeRequests(1, { "GET /projects/:id/remote_mirrors": 1 })).toBe("1 mirror API request");
});
