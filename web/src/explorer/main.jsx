// The explorer's entry point (bundled to static/dist/explorer.js).
import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';
import './explorer.css';

createRoot(document.getElementById('app')).render(<App />);
