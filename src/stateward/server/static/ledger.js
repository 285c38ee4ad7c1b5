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

  // signed-note (https://c2sp.org/signed-note): the text ends at the last blank line; each
  // signature line is "— <name> <base64(uint32 BE key ID || signature)>". A verifier key is
  // "<name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>", its ID the first four bytes of
  // SHA-256(name || 0x0A || 0x01 || public key).
  async function checkSignature() {
    const vkey = document.getElementById("vkey").value.trim();
    // a key name holds no "+" (signed-note §Format); the base64 key may
    const first = vkey.indexOf("+");
    const second = vkey.indexOf("+", first + 1);
    if (first < 1 || second < 0) throw new Error("not a verifier key (name+id+key)");
    const name = vkey.slice(0, first);
    const id = vkey.slice(first + 1, second);
    const material = bytes(vkey.slice(second + 1));
    if (material.length !== 33 || material[0] !== 1) throw new Error("not an Ed25519 verifier key");
    const enc = new TextEncoder();
    const digest = await sha256(enc.encode(name + "\n"), material);
    const wantId = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    if (wantId !== id.toLowerCase()) throw new Error("the key ID does not match the key");
    const note = document.getElementById("checkpoint").textContent;
    const split = note.lastIndexOf("\n\n");
    const body = enc.encode(note.slice(0, split + 1));
    const lines = note.slice(split + 2).split("\n").filter((l) => l);
    const key = await crypto.subtle.importKey("raw", material.slice(1), { name: "Ed25519" }, false, ["verify"]);
    for (const line of lines) {
      const [dash, signer, blob] = line.split(" ");
      if (dash !== "\u2014" || signer !== name) continue;
      const raw = bytes(blob);
      const sigId = Array.from(raw.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
      if (sigId !== wantId) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, key, raw.slice(4), body)) {
        localStorage.setItem("stateward.vkey", vkey);
        return "signed by " + name + "+" + wantId;
      }
      throw new Error("the signature by " + name + " does not verify");
    }
    throw new Error("no signature by " + name + "+" + wantId);
  }

  const vkeyInput = document.getElementById("vkey");
  vkeyInput.value = localStorage.getItem("stateward.vkey") || "";
  const signatureStatus = document.getElementById("signature-status");
  document.getElementById("verify-signature").addEventListener("click", function () {
    signatureStatus.textContent = "checking…";
    checkSignature().then(
      (text) => { signatureStatus.textContent = "verified: " + text; signatureStatus.className = "ok"; },
      (error) => { signatureStatus.textContent = "NOT verified: " + error.message; signatureStatus.className = "failed"; },
    );
  });

  button.addEventListener("click", function () {
    status.textContent = "checking…";
    status.className = "";
    check().then(
      (text) => { status.textContent = "verified: " + text; status.className = "ok"; },
      (error) => { status.textContent = "NOT verified: " + error.message; status.className = "failed"; },
    );
  });
})();
