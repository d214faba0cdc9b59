// Build options read by Gradio's custom-component build (@gradio/preview).
export default {
  plugins: [],
  svelte: { preprocess: [] },
  build: { target: "modules" },
};
