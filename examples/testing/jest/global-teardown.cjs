module.exports = async function globalTeardown() {
  await globalThis.shopStack?.down();
};
