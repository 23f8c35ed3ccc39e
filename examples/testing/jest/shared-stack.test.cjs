test('reaches the API of the stack the run shares', async () => {
  const response = await fetch(`${process.env.SHOP_API_URL}/health`);
  expect(await response.json()).toEqual({ ok: true });
});
