// Cases for test/e2e/workflows, in the shape documented at the top of cases.mjs; shared
// assertions are in assertions.mjs.
export default [];
