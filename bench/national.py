"""The measuring half of bench/national.sh (see there)."""
import glob, http.cookiejar, os, re, resource, statistics, subprocess, sys, time, urllib.parse, urllib.request

kaitei, out, old, new, server_url, backends = sys.argv[1:]
PASSWORD = "bench-password-2026"
QUERIES = ["監査", "暗号", "情報セキュリティ", "外部委託", "標的型攻撃", "情報資産の機密性", "副町長", "本庁舎"]
ROLES = [("admin", []), ("committee", []), ("prefecture", ["--body", "030007"]), ("body", ["--body", "032018"])]
ASKED = 15


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def timed(cmd):
    start = time.perf_counter()
    run(cmd)
    return time.perf_counter() - start


def database(backend):
    """A fresh database's URL and a function giving its size in bytes."""
    if backend == "sqlite":
        path = os.path.join(out, "national.db")
        for f in glob.glob(path + "*"):
            os.remove(f)
        size = lambda: sum(os.path.getsize(f) for f in glob.glob(path + "*"))
        return f"sqlite://{path}", size
    name = "kaitei_bench_national"
    admin = server_url
    psql = lambda sql: subprocess.run(["psql", admin, "-qtAc", sql], check=True, capture_output=True, text=True).stdout.strip()
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    url = admin.rsplit("/", 1)[0] + "/" + name
    return url, lambda: int(psql(f"SELECT pg_database_size('{name}')"))


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def search(db):
    for login, (role, extra) in ((r, (r, e)) for r, e in ROLES):
        env = dict(os.environ, KAITEI_PASSWORD=PASSWORD)
        run([kaitei, "--db", db, "user", "add", f"bench-{login}", "--role", role] + extra, env=env)
    port = 18190
    server = subprocess.Popen([kaitei, "--db", db, "serve", "--addr", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login").read()
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for role, _ in ROLES:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(base + "/login").read().decode()
            csrf = re.search(r"[0-9a-f]{64}", page).group(0)
            form = urllib.parse.urlencode({"login": f"bench-{role}", "password": PASSWORD, "csrf": csrf}).encode()
            opener.open(base + "/login", form).read()
            times, hits = [], {}
            for q in QUERIES:
                url = base + "/search?q=" + urllib.parse.quote(q)
                opener.open(url).read()  # once before timing: a cold page cache is not search
                for _ in range(ASKED):
                    start = time.perf_counter()
                    body = opener.open(url).read().decode()
                    times.append((time.perf_counter() - start) * 1000)
                m = re.search(r'<p role="status">([^<]*)</p>', body)
                hits[q] = re.sub(r"\s+", " ", m.group(1)) if m else "?"
            rows.append((role, statistics.median(times), percentile(times, 99), hits))
        return rows
    finally:
        server.terminate()
        server.wait()


files = sorted(glob.glob(os.path.join(out, "policies", "*.md")))
print(f"policies: {len(files)}")
naive = None
for backend in backends.split():
    db, size = database(backend)
    import_time = timed([kaitei, "--db", db, "import", old, new, os.path.join(out, "policies")])
    megabytes = size() / 1e6
    print(f"\n[{backend}]")
    print(f"import, a transaction per policy:  {import_time:.1f} s   (target ≤ 60 s{' × 2' if backend != 'sqlite' else ''})")
    print(f"database size after it:            {megabytes:.0f} MB  (target ≤ 150 MB{' × 2' if backend != 'sqlite' else ''})")
    for role, p50, p99, hits in search(db):
        print(f"search as {role:<11} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   (target p99 ≤ 50 ms; hits: "
              + ", ".join(f"{q} {n}" for q, n in hits.items()) + ")")
    all_cmd = [kaitei, "--db", db, "policy", "impact", "--all", "--from", "令和6年10月版", "--to", "令和7年3月版",
               "--format", "json"]
    runs = [timed(all_cmd) for _ in range(3)]
    peak = subprocess.run(["/usr/bin/time", "-f", "%M"] + all_cmd, check=True, capture_output=True,
                          text=True).stderr.strip().splitlines()[-1]
    if naive is None:
        start = time.perf_counter()
        for f in files:
            run([kaitei, "policy", "impact", f, "--from", old, "--to", new, "--format", "json"])
        naive = time.perf_counter() - start
    best = statistics.median(runs)
    print(f"impact --all (median of 3):        {best:.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)}; "
          f"peak {int(peak) / 1024:.0f} MiB; target ≤ 1 s)")
    print(f"naive, once per policy:            {naive:.1f} s   → {naive / best:.0f}× (target ≥ 20×)")
