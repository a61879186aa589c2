// A stand-in for the enrollment system's page script. The enrollment
// system's server signs a short-lived staff token for its signed-in staff
// member (see docs/embedding.md); the widget calls this function for a
// fresh one before the current one expires. In the demo, the relay's
// /demo/token (loopback only, --demo-signing-key) plays that server.
window.demoHost = {
  writebackToken: async function () {
    const res = await fetch("/demo/token", { cache: "no-store" });
    if (!res.ok) {
      throw new Error("the demo token endpoint answered HTTP " + res.status);
    }
    return res.text();
  },
};
