// Check an inclusion proof in the browser (RFC 9162 §2.1.3.2) with WebCrypto SHA-256, against
// the root of the checkpoint shown on the page: the server is not trusted to say "verified".
"use strict";
(function () {
  const button = document.getElementById("prove");
  if (!button) return;
  const status = document.getElementById("proof-status");

  function bytes(b64) { return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)); }
  function b64(buf) { return btoa(String.fromCharCode(...new Uint8Array(buf))); }
  async function sha256(...parts) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  }
  const NODE = new Uint8Array([1]);
  const LEAF = new Uint8Array([0]);

  // RFC 9162 §2.1.3.2, steps 1-6.
  async function rootFromProof(index, size, leaf, path) {
    if (index >= size) throw new Error("index beyond the tree");
    let fn = index, sn = size - 1, r = leaf;
    for (const p of path) {
      if (sn === 0) throw new Error("proof too long");
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(NODE, p, r);
        if (fn % 2 === 0) { while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; } }
      } else {
        r = await sha256(NODE, r, p);
      }
      fn >>= 1; sn >>= 1;
    }
    if (sn !== 0) throw new Error("proof too short");
    return r;
  }

  async function check() {
    const index = Number(document.getElementById("proof-entry").value);
    const note = document.getElementById("checkpoint").textContent.split("\n");
    const answer = await fetch("/api/v1/ledger/entries/" + index + "/proof", { credentials: "same-origin" });
    if (!answer.ok) throw new Error("the server answered " + answer.status);
    const proof = await answer.json();
    if (String(proof.tree_size) !== note[1]) throw new Error("the proof is for another checkpoint");
    const leaf = await sha256(LEAF, bytes(proof.entry));
    const root = await rootFromProof(index, proof.tree_size, leaf, proof.inclusion_proof.map(bytes));
    if (b64(root) !== note[2]) throw new Error("the root does not match the checkpoint");
    return "entry " + index + " is in the checkpoint of " + proof.tree_size + " entries (root " + note[2] + ")";
  }

  button.addEventListener("click", function () {
    status.textContent = "checking…";
    status.className = "";
    check().then(
      (text) => { status.textContent = "verified: " + text; status.className = "ok"; },
      (error) => { status.textContent = "NOT verified: " + error.message; status.className = "failed"; },
    );
  });
})();
