import { titledByFirstCell } from "../support/titles";
import { redactAll, redactSecrets, redactUrlCredentials, redactValue, urlCredentialSecrets } from "../../provider/redact";

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
    ["x+https://u:p@h/x", "x+https://*****:*****@h/x"],
    ["://u:p@h/x and 1://u:p@h/y", "://u:p@h/x and 1://u:p@h/y"],
    ["https://u:p@h/x@y", "https://*****:*****@h/x@y"],
    ["a://b://u:p@h", "a://b://*****:*****@h"],
    ["", ""],
  ]))("masks %s", (_title, input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });

  // Regression (issue 10, item 12): the userinfo pattern backtracked from every position, 12 s at 80 KB.
  // CPU time, not wall time: a loaded machine stretches the wall clock, never this process's own work.
  it("takes time linear in the text: 2 MB of a.a.a.… and of scheme-like runs in well under a second of CPU", () => {
    for (const text of ["a.".repeat(1_000_000), "a://".repeat(500_000), `${"a".repeat(2_000_000)}://`, "https://u:p@".repeat(150_000)]) {
      const started = process.cpuUsage();
      redactUrlCredentials(text);
      const used = process.cpuUsage(started);
      expect((used.user + used.system) / 1_000).toBeLessThan(1_000);
    }
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

describe("urlCredentialSecrets", () => {
  it.each(titledByFirstCell<[string, string[]]>([
    ["https://bot:MirrorPw-99x@h.example/p.git", ["MirrorPw-99x"]],
    ["https://bot:p%40ss@h.example/p.git", ["p%40ss", "p@ss"]],
    // GitLab takes everything up to the last "@" as userinfo, and the password after the first ":".
    ["https://bot:S3cr@t:x@h.example/p.git", ["S3cr@t:x"]],
    ["https://glpat-abc@h.example/p.git", ["glpat-abc"]],
    ["https://git:pw@h.example/p.git", ["pw"]],
    ["ssh://git@h.example/p.git", []],
    ["https://h.example/p.git", []],
    ["not a url", []],
  ]))("finds the secrets of %s", (_title, url, secrets) => {
    expect(urlCredentialSecrets(url)).toEqual(secrets);
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

// Regression (issue 21, item 4): the masker stopped at ( ' " < [ { before the "@", so a password holding
// one of them (Check accepts them) came back from getRemoteMirrors and lastError unmasked.
describe("a password holding quotes or brackets", () => {
  it.each(["Sp(ecial-pw", "Sp)ec", "it's", 'a"b', "a<b>c", "x[y]z", "x{y}z", "p(w'\"<[{"])("masks https://bot:%s@host whole", (password) => {
    const text = `push to https://bot:${password}@gitlab.example.com/g/p.git failed`;
    const masked = redactUrlCredentials(text);
    expect(masked).toBe("push to https://*****:*****@gitlab.example.com/g/p.git failed");
    expect(redactUrlCredentials(masked)).toBe(masked);
  });

  it("masks a token given as the user name that holds a bracket", () => {
    expect(redactUrlCredentials("'https://glpat(x@h/p.git'")).toBe("'https://*****@h/p.git'");
  });
});

// Regression (issue 21, item 7): an error page echoed the password HTML-escaped.
describe("secrets echoed HTML- or JSON-escaped", () => {
  it.each<[string, string]>([
    ["Pw&x'y", "<p>credentials Pw&amp;x&#39;y were refused</p>"],
    ["Pw&x'y", "<p>credentials Pw&amp;x&#x27;y were refused</p>"],
    ["Pw&x'y", "<p>credentials Pw&amp;x&apos;y were refused</p>"],
    ['a<b>"c', "<p>credentials a&lt;b&gt;&quot;c were refused</p>"],
    ['q"\\z', '{\\"password\\":\\"q\\"\\\\z\\"}'],
  ])("masks %s in %s", (secret, text) => {
    const masked = redactSecrets(text, [secret]);
    expect(masked).toContain("*****");
    expect(masked).not.toContain(secret.slice(0, 3));
  });

  it("masks an HTML-escaped URL password without knowing it", () => {
    const page = "<pre>fatal: could not read from https://bot:Pw&amp;x&#39;y@h.example/p.git</pre>";
    expect(redactUrlCredentials(page)).toBe("<pre>fatal: could not read from https://*****:*****@h.example/p.git</pre>");
  });
});
