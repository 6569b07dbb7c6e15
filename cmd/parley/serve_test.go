package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// serveBinary builds the command once per test run.
func serveBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the server: skipped with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "parley-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "parley")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// serverProc is a running "parley serve".
type serverProc struct {
	cmd   *exec.Cmd
	url   string
	codes map[string]string // demo account → one-time code
	done  chan error
}

// startServer runs parley serve on a free loopback port and waits until
// it prints its URL and demo codes.
func startServer(t *testing.T, db string, extra ...string) *serverProc {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn"}, extra...)
	cmd := exec.Command(serveBinary(t), args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, codes: map[string]string{}, done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "parley serve: "); ok {
				p.url, _, _ = strings.Cut(rest, " ")
			}
			f := strings.Fields(line)
			if len(f) >= 3 && strings.HasPrefix(f[len(f)-1], "psi_") {
				p.codes[f[0]] = f[len(f)-1]
			}
			if strings.HasPrefix(line, "Exchange a code") && !signalled {
				signalled = true
				close(ready)
			}
		}
		if !signalled {
			close(ready)
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.done <- cmd.Wait() }()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not start within a minute")
	}
	if p.url == "" {
		t.Fatal("the server printed no URL")
	}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	return p
}

func (p *serverProc) kill9(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	p.done <- nil // for the cleanup
}

// serveCall sends a JSON request and decodes the answer into out (if not nil).
func serveCall(t *testing.T, method, url, token, body string, out any, hdr ...string) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return resp.StatusCode, resp.Header
}

func (p *serverProc) token(t *testing.T, account string) string {
	t.Helper()
	var lr struct{ Token string }
	code, _ := serveCall(t, "POST", p.url+"/api/login", "", `{"code":"`+p.codes[account]+`","token":true}`, &lr)
	if code != 200 {
		t.Fatalf("sign in as %s: %d", account, code)
	}
	return lr.Token
}

const demoPath = "/api/negotiations/ukraine-2025"

// serveDatabases are the stores the process tests run on: SQLite always,
// PostgreSQL when PARLEY_TEST_POSTGRES is set.
func serveDatabases(t *testing.T) map[string]func(t *testing.T) string {
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "parley.db") },
	}
	if dsn := os.Getenv("PARLEY_TEST_POSTGRES"); dsn != "" {
		dbs["postgres"] = func(t *testing.T) string { return dsn }
	} else {
		t.Log("PARLEY_TEST_POSTGRES is not set: PostgreSQL runs are skipped")
	}
	return dbs
}

// TestAcknowledgedWritesSurviveKill writes, kills the server with
// SIGKILL right after the last acknowledgement, restarts it and finds
// every acknowledged write.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	for name, db := range serveDatabases(t) {
		t.Run(name, func(t *testing.T) {
			file := db(t)
			p := startServer(t, file)
			med := p.token(t, "mediator")
			stamp := fmt.Sprintf("kill9-%d", time.Now().UnixNano())
			var ids []string
			for i := range 20 {
				var c struct{ ID string }
				code, _ := serveCall(t, "POST", p.url+demoPath+"/comments", med, fmt.Sprintf(`{"point":"territory","body":"%s-%d"}`, stamp, i), &c)
				if code != 201 {
					t.Fatalf("comment %d: %d", i, code)
				}
				ids = append(ids, c.ID)
			}
			var before struct{ Rev int64 }
			serveCall(t, "GET", p.url+demoPath, med, "", &before)
			p.kill9(t)

			q := startServer(t, file)
			med = q.token(t, "mediator")
			var after struct{ Rev int64 }
			serveCall(t, "GET", q.url+demoPath, med, "", &after)
			if after.Rev < before.Rev {
				t.Errorf("revision went back from %d to %d", before.Rev, after.Rev)
			}
			var cs []struct{ ID, Body string }
			serveCall(t, "GET", q.url+demoPath+"/comments?point=territory", med, "", &cs)
			found := map[string]bool{}
			for _, c := range cs {
				if strings.HasPrefix(c.Body, stamp) {
					found[c.ID] = true
				}
			}
			for _, id := range ids {
				if !found[id] {
					t.Errorf("acknowledged comment %s is lost after kill -9", id)
				}
			}
		})
	}
}

// TestTwoReplicas runs two servers on one PostgreSQL database: a token
// from one works on the other, a write on one is read on the other at
// once, and concurrent read-modify-writes through both lose nothing.
func TestTwoReplicas(t *testing.T) {
	dsn := os.Getenv("PARLEY_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PARLEY_TEST_POSTGRES is not set: set it to a postgres:// URL of a throwaway database to run the two-replica test (.ci/run does)")
	}
	a := startServer(t, dsn)
	b := startServer(t, dsn)
	med := a.token(t, "mediator")
	ua := b.token(t, "ukraine")
	if code, _ := serveCall(t, "GET", b.url+"/api/me", med, "", nil); code != 200 {
		t.Fatalf("a token from one replica is refused by the other: %d", code)
	}
	stamp := fmt.Sprintf("replica-%d", time.Now().UnixNano())
	serveCall(t, "POST", a.url+demoPath+"/comments", med, `{"point":"territory","body":"`+stamp+`"}`, nil)
	var cs []struct{ Body string }
	serveCall(t, "GET", b.url+demoPath+"/comments", med, "", &cs)
	seen := false
	for _, c := range cs {
		seen = seen || c.Body == stamp
	}
	if !seen {
		t.Error("a comment written on one replica is not read on the other")
	}

	type pos struct {
		Positions []struct {
			Party  string `json:"party"`
			Points []struct {
				Weight float64 `json:"weight"`
			} `json:"points"`
		} `json:"positions"`
	}
	read := func(url, tok string) (float64, string, json.RawMessage) {
		req, _ := http.NewRequest("GET", url+demoPath+"/positions/ua", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		json.Unmarshal(raw, &m)
		var p pos
		json.Unmarshal(raw, &p)
		return p.Positions[0].Points[0].Weight, resp.Header.Get("ETag"), raw
	}
	start, _, _ := read(a.url, med)
	const writers, each = 4, 8
	var wg sync.WaitGroup
	for w := range writers {
		url, tok := a.url, med
		if w%2 == 1 {
			url, tok = b.url, ua
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					_, tag, raw := read(url, tok)
					var m map[string]any
					json.Unmarshal(raw, &m)
					pt := m["positions"].([]any)[0].(map[string]any)["points"].([]any)[0].(map[string]any)
					pt["weight"] = pt["weight"].(float64) + 1
					body, _ := json.Marshal(m)
					code, _ := serveCall(t, "PUT", url+demoPath+"/positions/ua", tok, string(body), nil, "If-Match", tag)
					if code == 412 {
						continue
					}
					if code != 200 {
						t.Errorf("put: %d", code)
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	got, _, _ := read(b.url, ua)
	if got != start+writers*each {
		t.Errorf("two replicas lost updates: weight %v, expected %v", got, start+writers*each)
	}
}

// TestGracefulShutdown sends SIGTERM: the server stops with status 0.
func TestGracefulShutdown(t *testing.T) {
	p := startServer(t, filepath.Join(t.TempDir(), "parley.db"))
	if code, _ := serveCall(t, "GET", p.url+"/healthz", "", "", nil); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("after SIGTERM: %v", err)
		}
		p.done <- nil
	case <-time.After(15 * time.Second):
		t.Error("the server did not stop within 15 s of SIGTERM")
	}
}

// TestRefuseBeyondLoopback checks that a server listening beyond
// loopback needs an administrator.
func TestRefuseBeyondLoopback(t *testing.T) {
	cmd := exec.Command(serveBinary(t), "serve", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "p.db"), "--no-demo")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "administrator") {
		t.Errorf("serve on 0.0.0.0 without --admin: %v\n%s", err, out)
	}
}

// TestTLS serves HTTPS with a self-signed certificate: the session cookie
// is then Secure.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	p := startServer(t, filepath.Join(dir, "parley.db"), "--tls-cert", filepath.Join(dir, "cert.pem"), "--tls-key", filepath.Join(dir, "key.pem"))
	if !strings.HasPrefix(p.url, "https://") {
		t.Fatalf("url %s", p.url)
	}
	pool := x509.NewCertPool()
	cert, _ := x509.ParseCertificate(der)
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Post(p.url+"/api/login", "application/json", strings.NewReader(`{"code":"`+p.codes["observer"]+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(resp.Cookies()) == 0 || !resp.Cookies()[0].Secure || !resp.Cookies()[0].HttpOnly {
		t.Errorf("sign-in over TLS: %d, cookies %+v", resp.StatusCode, resp.Cookies())
	}
}

func TestDemoBannerFitsEightyColumns(t *testing.T) {
	var b strings.Builder
	printDemo(&b, "http://127.0.0.1:8080", []demoSignIn{
		{"mediator", "mediator", "", "ABCD-EFGH-IJKL"},
		{"ua", "delegate", "Ukraine", "MNOP-QRST-UVWX"},
	})
	for _, line := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("banner line of %d columns, more than 80: %q", n, line)
		}
	}
	if !strings.Contains(b.String(), "/api/login") {
		t.Errorf("banner lacks the login hint:\n%s", b.String())
	}
}
