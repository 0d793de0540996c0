import { createRoot } from 'react-dom/client';
import { Review } from './Review.jsx';
import './review.css';

createRoot(document.getElementById('app')).render(<Review />);
