/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig, type ProxyOptions } from 'vite'

// `npm run dev` serves the UI on :5173 and forwards the API to the Litestar app (override with RAGCHAT_API).
// Keys starting with `^` are regular expressions, so `/me` does not also swallow e.g. `/media`.
const api = process.env.RAGCHAT_API ?? 'http://127.0.0.1:8000'
const http: ProxyOptions = { target: api, changeOrigin: false }
const apiPrefixes = ['auth', 'me', 'documents', 'search', 'chats', 'health', 'ready']

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      ...Object.fromEntries(apiPrefixes.map((p) => [`^/${p}(/|\\?|$)`, http])),
      '^/chat/ws': { target: api, ws: true, changeOrigin: false },
    },
  },
  build: { outDir: 'dist' },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
