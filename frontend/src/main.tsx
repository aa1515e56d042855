import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { setTokenProvider } from './api/http'
import { App } from './App'
import { session } from './auth/session'
import './styles.css'

setTokenProvider(session)
void session.restore()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
