export * from './ip.js';
