import { start } from './bootstrap';
import './index.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
void start(container, (input, init) => fetch(input, init));
