/** Vite bundles the widget's stylesheet from its `import`. */
declare module '*.css';
