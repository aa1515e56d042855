/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { cp } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineConfig, type Plugin, type ProxyOptions } from 'vite'

// `npm run dev` serves the UI on :5173 and forwards the API to the Litestar app (override with RAGCHAT_API).
// Keys starting with `^` are regular expressions, so `/me` does not also swallow e.g. `/media`.
const api = process.env.RAGCHAT_API ?? 'http://127.0.0.1:8000'
const http: ProxyOptions = { target: api, changeOrigin: false }
const apiPrefixes = ['auth', 'me', 'documents', 'search', 'chats', 'health', 'ready']

// pdf.js fetches the 14 standard PDF fonts and the CJK character maps at run time; ship them with the UI (under
// dist/pdfjs/) so PDFs render fully on an offline install. The worker itself is bundled via `?url`.
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))
function pdfjsAssets(): Plugin {
  return {
    name: 'ragchat-pdfjs-assets',
    apply: 'build',
    async writeBundle(options) {
      for (const folder of ['standard_fonts', 'cmaps']) {
        await cp(join(pdfjsRoot, folder), join(options.dir ?? 'dist', 'pdfjs', folder), { recursive: true })
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), pdfjsAssets()],
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
