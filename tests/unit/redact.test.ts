import { titledByFirstCell } from "../support/titles";
import { redactAll, redactSecrets, redactUrlCredentials, redactValue } from "../../provider/redact";

describe("redactUrlCredentials", () => {
  it.each(titledByFirstCell([
    ["https://user:secret@host/p.git", "https://*****:*****@host/p.git"],
    ["https://glpat-xyz@host/p.git", "https://*****@host/p.git"],
    ["https://:token@host/p.git", "https://*****:*****@host/p.git"],
    ["https://git:secret@host/p.git", "https://git:*****@host/p.git"],
    ["ssh://git@host/p.git", "ssh://git@host/p.git"],
    ["ssh://deploy@host:2222/p.git", "ssh://*****@host:2222/p.git"],
    ["https://host/p.git", "https://host/p.git"],
    ["https://u:p@ss@host/p.git", "https://*****:*****@host/p.git"],
    ["https://u:p%40ss@host/p.git", "https://*****:*****@host/p.git"],
    ["push to https://a:b@one/x failed, then http://c:d@two/y", "push to https://*****:*****@one/x failed, then http://*****:*****@two/y"],
    ['{"url":"https://a:b@h/x"}', '{"url":"https://*****:*****@h/x"}'],
    ["fatal: unable to access 'https://oauth2:tok@gitlab.com/g/p.git/': 403", "fatal: unable to access 'https://*****:*****@gitlab.com/g/p.git/': 403"],
    ["mail me at a@b.example or see https://host/path?x=a@b", "mail me at a@b.example or see https://host/path?x=a@b"],
    ["git@github.com:org/repo.git", "git@github.com:org/repo.git"],
    ["", ""],
  ]))("masks %s", (_title, input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });

  it("is idempotent", () => {
    const once = redactUrlCredentials("https://user:secret@host/p and https://git:pw@h/q and https://tok@h/r");
    expect(redactUrlCredentials(once)).toBe(once);
  });
});

describe("redactSecrets", () => {
  it.each<[string, string[], string]>([
    ["token glpat-abc in text", ["glpat-abc"], "token ***** in text"],
    ["a/b+c= and a%2Fb%2Bc%3D", ["a/b+c="], "***** and *****"],
    ["abcdef abc", ["abc", "abcdef"], "***** *****"],
    ["nothing here", ["", "zzz"], "nothing here"],
    ["x x x", ["x"], "***** ***** *****"],
    ["no secrets given", [], "no secrets given"],
  ])("row %#: every form of each secret is masked", (input, secrets, expected) => {
    expect(redactSecrets(input, secrets)).toBe(expected);
  });
});

describe("redactAll and redactValue", () => {
  it("redacts both known secrets and URL credentials", () => {
    expect(redactAll("s3cret at https://u:p@h/x", ["s3cret"])).toBe("***** at https://*****:*****@h/x");
  });

  it("redacts every string of a parsed body, keys included, without touching other values", () => {
    expect(redactValue({ message: { url: ["https://u:p@h/x"] }, s3cret: [1, true, null, "s3cret"] }, ["s3cret"])).toEqual({
      message: { url: ["https://*****:*****@h/x"] },
      "*****": [1, true, null, "*****"],
    });
  });
});
